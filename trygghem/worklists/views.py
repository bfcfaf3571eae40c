from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trygghem.audit.services import log_reads
from trygghem.core.time import local_today
from trygghem.staff.models import Staff
from trygghem.staff.selectors import staff_for_user
from trygghem.worklists import selectors

Role = Staff.Role


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The start page: the worklists of the staff member's role."""
    staff = staff_for_user(request.user)
    today = local_today()
    context: dict[str, object] = {"today": today}
    if staff.role == Role.CASE_OFFICER:
        context |= {
            "overdue": selectors.overdue_follow_ups(staff=staff, today=today),
            "due": selectors.due_follow_ups(staff=staff, today=today),
            "new_referrals": selectors.new_referrals(staff=staff),
            "ending": selectors.decisions_ending_soon(staff=staff, today=today),
        }
    elif staff.role == Role.MANAGER:
        context |= {
            "per_program": selectors.counts_per_program(staff=staff, today=today),
            "per_team": selectors.counts_per_team(staff=staff, today=today),
            "overdue_count": len(selectors.overdue_follow_ups(staff=staff, today=today)),
        }
    elif staff.role not in (Role.MAS, Role.ADMIN):
        context |= {
            "current": selectors.current_episodes(staff=staff),
            "ending": selectors.decisions_ending_soon(staff=staff, today=today),
        }
    shown = [
        item.person
        for key in ("overdue", "due", "new_referrals", "ending", "current")
        for item in context.get(key, [])  # type: ignore[attr-defined]
    ]
    log_reads(by=staff, people=shown, what="worklist")
    return render(request, "worklists/home.html", context)
