from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trygghem.audit import selectors
from trygghem.staff.rules import Action, may
from trygghem.staff.selectors import staff_for_user


@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    """The MAS reviews who read and changed which person's record, and why."""
    staff = staff_for_user(request.user)
    if not may(staff.role, Action.VIEW_ACCESS_LOG):
        raise Http404
    page = Paginator(selectors.access_log_entries(), 100).get_page(request.GET.get("page"))
    return render(request, "audit/access_log.html", {"page": page})
