from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trygghem.assessments import selectors as assessment_selectors
from trygghem.audit.services import log_reads
from trygghem.core.time import local_today
from trygghem.decisions.models import Decision
from trygghem.episodes.models import Episode
from trygghem.planning import access as planning_access
from trygghem.planning import selectors as planning_selectors
from trygghem.rehab import selectors as rehab_selectors
from trygghem.staff.models import Staff
from trygghem.staff.selectors import staff_for_user
from trygghem.worklists import selectors

Role = Staff.Role


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The start page: the worklists of the staff member's role. Every person listed is a read
    of their record and is logged."""
    staff = staff_for_user(request.user)
    today = local_today()
    context: dict[str, object] = {"today": today}
    decisions: list[Decision] = []
    episodes: list[Episode] = []
    if staff.role == Role.CASE_OFFICER:
        overdue = selectors.overdue_follow_ups(staff=staff, today=today)
        due = selectors.due_follow_ups(staff=staff, today=today)
        ending = selectors.decisions_ending_soon(staff=staff, today=today)
        new_referrals = selectors.new_referrals(staff=staff)
        context |= {
            "overdue": overdue,
            "due": due,
            "ending": ending,
            "new_referrals": new_referrals,
        }
        decisions = overdue + due + ending
        episodes = new_referrals
    elif staff.role == Role.MANAGER:
        context |= {
            "per_program": selectors.counts_per_program(staff=staff, today=today),
            "per_team": selectors.counts_per_team(staff=staff, today=today),
            "overdue_count": len(selectors.overdue_follow_ups(staff=staff, today=today)),
        }
    elif staff.role not in (Role.MAS, Role.ADMIN):
        current = selectors.current_episodes(staff=staff)
        ending = selectors.decisions_ending_soon(staff=staff, today=today)
        context |= {"current": current, "ending": ending}
        decisions = ending
        episodes = current
    if staff.role in (Role.NURSE, Role.COORDINATOR):
        # Delegations are staff data, not a person's record: nothing to log for them.
        context["expiring_delegations"] = planning_selectors.expiring_delegations(today=today)
    context["planning"] = planning_access.planning_links(staff)
    devices_due = (
        rehab_selectors.device_follow_ups_due(staff=staff, today=today)
        if staff.role in (Role.OT, Role.PT)
        else []
    )
    context["devices_due"] = devices_due
    if staff.role in (Role.OT, Role.PT):
        due_assessments = assessment_selectors.due_assessments(staff=staff, today=today)
        context["due_assessments"] = due_assessments
        episodes = episodes + [due.episode for due in due_assessments]
    people = [decision.person for decision in decisions] + [e.person for e in episodes]
    people += [device.person for device in devices_due]
    log_reads(by=staff, people=people, what="worklist")
    return render(request, "worklists/home.html", context)
