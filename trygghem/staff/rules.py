"""What each role may do. Seeing a person at all is decided by team (the access gates);
this table decides which writes a role may make on the people it sees."""

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from trygghem.staff.models import Staff

Role = Staff.Role


class Action(StrEnum):
    REGISTER_REFERRAL = "register_referral"
    CLOSE_REFERRAL = "close_referral"
    GRANT_DECISION = "grant_decision"
    ADJUST_DECISION = "adjust_decision"
    REGISTER_HOMECOMING = "register_homecoming"
    RECORD_FOLLOW_UP = "record_follow_up"
    END_EPISODE = "end_episode"
    HAND_OVER = "hand_over"
    RECORD_ASSESSMENT = "record_assessment"
    VIEW_ACCESS_LOG = "view_access_log"
    PLAN_VISITS = "plan_visits"
    RECORD_VISIT = "record_visit"
    ISSUE_DELEGATION = "issue_delegation"
    VIEW_DELEGATIONS = "view_delegations"
    MANAGE_SERVICE_TEMPLATES = "manage_service_templates"
    RECORD_MORNING_MEETING = "record_morning_meeting"
    WRITE_REHAB_PLAN = "write_rehab_plan"
    MANAGE_ASSISTIVE_DEVICES = "manage_assistive_devices"
    VIEW_REPORTS = "view_reports"
    RECORD_FEE_ROOM = "record_fee_room"
    RECORD_HOME_CARE_DECISION = "record_home_care_decision"


_TEAM_STAFF = {
    Role.OT,
    Role.PT,
    Role.NURSE,
    Role.REHAB_ASSISTANT,
    Role.CARE_WORKER,
    Role.COORDINATOR,
}

PERMITTED: dict[Action, set[Role]] = {
    Action.REGISTER_REFERRAL: {Role.CASE_OFFICER},
    Action.CLOSE_REFERRAL: {Role.CASE_OFFICER},
    Action.GRANT_DECISION: {Role.CASE_OFFICER},
    Action.ADJUST_DECISION: {Role.CASE_OFFICER},
    Action.REGISTER_HOMECOMING: {Role.CASE_OFFICER} | _TEAM_STAFF,
    Action.RECORD_FOLLOW_UP: {Role.CASE_OFFICER},
    Action.END_EPISODE: {Role.CASE_OFFICER},
    Action.HAND_OVER: {Role.CASE_OFFICER},
    Action.RECORD_ASSESSMENT: {Role.OT, Role.PT},
    Action.VIEW_ACCESS_LOG: {Role.MAS},
    Action.WRITE_REHAB_PLAN: {Role.OT, Role.PT},
    Action.MANAGE_ASSISTIVE_DEVICES: {Role.OT, Role.PT},
    # Planning: the coordinator plans, the nurse delegates, team staff record their own visits.
    Action.PLAN_VISITS: {Role.COORDINATOR},
    Action.RECORD_VISIT: _TEAM_STAFF - {Role.COORDINATOR},
    Action.ISSUE_DELEGATION: {Role.NURSE},
    Action.VIEW_DELEGATIONS: {Role.NURSE, Role.COORDINATOR, Role.MAS},
    # Service templates turn the decision into recurring visits; the team notes its morning meeting.
    Action.MANAGE_SERVICE_TEMPLATES: {Role.CASE_OFFICER, Role.COORDINATOR},
    Action.RECORD_MORNING_MEETING: _TEAM_STAFF,
    Action.VIEW_REPORTS: {Role.MANAGER},
    Action.RECORD_FEE_ROOM: {Role.CASE_OFFICER},
    # Ordinary home care (hemtjänst) after reablement: granted, ended and replaced by the unit.
    Action.RECORD_HOME_CARE_DECISION: {Role.CASE_OFFICER},
}

# Roles that see people's records at all (through their teams). MAS reviews the access log and
# administrators keep reference data; neither reads records.
ROLES_WITH_RECORD_ACCESS = {Role.CASE_OFFICER, Role.MANAGER} | _TEAM_STAFF


def may(role: str, action: Action) -> bool:
    return Role(role) in PERMITTED[action]


def sees_records(role: str) -> bool:
    return Role(role) in ROLES_WITH_RECORD_ACCESS


def check_may(staff: Staff, action: Action) -> None:
    """Services call this too, so a write is refused for a role whatever the caller."""
    if not may(staff.role, action):
        raise PermissionDenied(action)
