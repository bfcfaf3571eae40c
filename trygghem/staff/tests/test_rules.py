import pytest
from django.core.exceptions import PermissionDenied

from trygghem.staff.models import Staff
from trygghem.staff.rules import Action, check_may, may, sees_records

Role = Staff.Role
TEAM_STAFF = {
    Role.OT,
    Role.PT,
    Role.NURSE,
    Role.REHAB_ASSISTANT,
    Role.CARE_WORKER,
    Role.COORDINATOR,
}

# Who may make each write, as the source municipality works: the case officer decides, the
# team registers the homecoming, MAS reviews the access log.
EXPECTED = {
    Action.REGISTER_REFERRAL: {Role.CASE_OFFICER},
    Action.CLOSE_REFERRAL: {Role.CASE_OFFICER},
    Action.GRANT_DECISION: {Role.CASE_OFFICER},
    Action.ADJUST_DECISION: {Role.CASE_OFFICER},
    Action.REGISTER_HOMECOMING: {Role.CASE_OFFICER} | TEAM_STAFF,
    Action.RECORD_FOLLOW_UP: {Role.CASE_OFFICER},
    Action.END_EPISODE: {Role.CASE_OFFICER},
    Action.HAND_OVER: {Role.CASE_OFFICER},
    Action.RECORD_ASSESSMENT: {Role.OT, Role.PT},
    Action.VIEW_ACCESS_LOG: {Role.MAS},
    Action.PLAN_VISITS: {Role.COORDINATOR},
    Action.RECORD_VISIT: TEAM_STAFF - {Role.COORDINATOR},
    Action.ISSUE_DELEGATION: {Role.NURSE},
    Action.VIEW_DELEGATIONS: {Role.NURSE, Role.COORDINATOR, Role.MAS},
    Action.MANAGE_SERVICE_TEMPLATES: {Role.CASE_OFFICER, Role.COORDINATOR},
    Action.RECORD_MORNING_MEETING: TEAM_STAFF,
    Action.WRITE_REHAB_PLAN: {Role.OT, Role.PT},
    Action.MANAGE_ASSISTIVE_DEVICES: {Role.OT, Role.PT},
    Action.VIEW_REPORTS: {Role.MANAGER},
    Action.RECORD_FEE_ROOM: {Role.CASE_OFFICER},
    Action.RECORD_HOME_CARE_DECISION: {Role.CASE_OFFICER},
}


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", Role.values)
def test_may_allows_exactly_the_roles_of_the_table(role: str, action: Action) -> None:
    assert may(role, action) is (role in EXPECTED[action])


def test_the_table_covers_every_action() -> None:
    assert set(EXPECTED) == set(Action)


@pytest.mark.parametrize("role", Role.values)
def test_only_the_case_officer_the_manager_and_team_staff_see_records(role: str) -> None:
    assert sees_records(role) is (role in {Role.CASE_OFFICER, Role.MANAGER} | TEAM_STAFF)


def test_check_may_lets_a_permitted_role_through() -> None:
    check_may(Staff(role=Role.CASE_OFFICER), Action.GRANT_DECISION)


def test_check_may_refuses_a_role_with_permission_denied() -> None:
    with pytest.raises(PermissionDenied):
        check_may(Staff(role=Role.MANAGER), Action.GRANT_DECISION)
