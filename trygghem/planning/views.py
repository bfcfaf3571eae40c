import datetime
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygghem.audit.services import log_reads
from trygghem.core.time import local_today
from trygghem.core.views import saved
from trygghem.decisions.selectors import current_decision
from trygghem.episodes.access import get_episode_for_user
from trygghem.people.access import get_person_for_user
from trygghem.planning import rules, selectors, services
from trygghem.planning.access import (
    get_delegation_for_user,
    get_plan_action_for_user,
    get_plan_team_for_user,
    get_planning_run_for_user,
    get_visit_for_user,
    visible_person_ids,
)
from trygghem.planning.forms import (
    AcceptProposalForm,
    AssignVisitForm,
    ConfirmForm,
    DelegationForm,
    GenerateVisitsForm,
    MorningMeetingForm,
    PlanDayForm,
    RecordVisitForm,
    ServiceTemplateForm,
    ShiftForm,
    WithdrawDelegationForm,
    minute_of,
    time_of,
)
from trygghem.planning.models import Delegation, Visit
from trygghem.staff.models import Staff
from trygghem.staff.rules import Action, may
from trygghem.staff.selectors import staff_for_user

SLOTS = range(1, rules.TIMELINE_SLOTS + 1)
HOURS = [
    (rules.clock(minute), (minute - rules.TIMELINE_START) // rules.SLOT_MINUTES + 1)
    for minute in range(rules.TIMELINE_START, rules.TIMELINE_END, 60)
]


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise Http404 from error


@require_GET
def day_plan(request: HttpRequest, team_id: uuid.UUID, day: str) -> HttpResponse:
    """The team's day: a timeline row per staff member, unassigned visits, conflicts and
    continuity. Everyone named on it is a read of their record."""
    staff = staff_for_user(request.user)
    team = get_plan_team_for_user(staff=staff, external_id=team_id)
    on = _day(day)
    plan = selectors.day_plan(team=team, day=on, visible=visible_person_ids(staff))
    log_reads(by=staff, people=plan.people, what="planning.day_plan")
    context = {
        "team": team,
        "day": on,
        "previous_day": on - datetime.timedelta(days=1),
        "next_day": on + datetime.timedelta(days=1),
        "plan": plan,
        "hours": HOURS,
        "may_plan": may(staff.role, Action.PLAN_VISITS),
        "plan_form": PlanDayForm(
            staff=_sick_choices(
                [shift.staff for shift in selectors.shifts_in_plan(team=team, day=on)]
            )
        ),
    }
    return render(request, "planning/day_plan.html", context)


@require_http_methods(["GET", "POST"])
def morning_meeting(request: HttpRequest, team_id: uuid.UUID, day: str) -> HttpResponse:
    """The team's morning meeting board (morgonmöte) and the record of what was decided,
    written by the team's staff on the day. Everyone named on the board is a logged read."""
    staff = staff_for_user(request.user)
    team = get_plan_team_for_user(staff=staff, external_id=team_id)
    on = _day(day)
    may_write = may(staff.role, Action.RECORD_MORNING_MEETING) and on == local_today()
    if request.method == "POST" and not may_write:
        raise Http404
    board = selectors.morning_board(team=team, day=on, staff=staff)
    log_reads(by=staff, people=board.people, what="planning.morning_meeting")
    form = MorningMeetingForm(
        request.POST if request.method == "POST" else None,
        initial={"notes": board.meeting.notes if board.meeting is not None else ""},
    )

    def save() -> None:
        services.record_morning_meeting(
            team=team, day=on, notes=form.cleaned_data["notes"], today=local_today(), by=staff
        )

    if saved(request, form, save, message=_("The morning meeting is saved.")):
        return redirect("morning_meeting", team.external_id, on.isoformat())
    status = 400 if form.errors else 200
    context = {
        "team": team,
        "day": on,
        "previous_day": on - datetime.timedelta(days=1),
        "next_day": on + datetime.timedelta(days=1),
        "board": board,
        "form": form,
        "may_write": may_write,
    }
    return render(request, "planning/morning_meeting.html", context, status=status)


@require_http_methods(["GET", "POST"])
def generate_visits(request: HttpRequest, team_id: uuid.UUID, day: str) -> HttpResponse:
    staff = staff_for_user(request.user)
    team = get_plan_team_for_user(staff=staff, external_id=team_id)
    if not may(staff.role, Action.PLAN_VISITS):
        raise Http404
    on = _day(day)
    form = GenerateVisitsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        created = services.generate_visits(day=on, team=team, by=staff)
        messages.success(
            request, _("%(count)d visits were added to the plan.") % {"count": len(created)}
        )
        return redirect("day_plan", team.external_id, on.isoformat())
    context = {"form": form, "team": team, "day": on}
    return render(request, "planning/generate.html", context)


@require_http_methods(["GET", "POST"])
def add_shift(request: HttpRequest, team_id: uuid.UUID, day: str) -> HttpResponse:
    """A planning row: the coordinator gives a team member or a rehab assistant a shift in
    this team's plan."""
    staff = staff_for_user(request.user)
    team = get_plan_team_for_user(staff=staff, external_id=team_id)
    if not may(staff.role, Action.PLAN_VISITS):
        raise Http404
    on = _day(day)
    form = ShiftForm(
        request.POST or None,
        staff=selectors.plannable_staff(team=team),
        initial={"start": datetime.time(7), "end": datetime.time(15, 30)},
    )

    def save() -> None:
        services.add_shift(
            staff=form.cleaned_data["staff"],
            team=team,
            day=on,
            start_minute=minute_of(form.cleaned_data["start"]) or 0,
            end_minute=minute_of(form.cleaned_data["end"]) or 0,
            by=staff,
        )

    if saved(request, form, save, message=_("The planning row is added.")):
        return redirect("day_plan", team.external_id, on.isoformat())
    status = 400 if form.errors else 200
    context = {"form": form, "team": team, "day": on}
    return render(request, "planning/add_shift.html", context, status=status)


def _assign_form(request: HttpRequest, visit: Visit, data: object) -> AssignVisitForm:
    choices = Staff.objects.filter(
        pk__in=selectors.plannable_staff(team=visit.team).values("pk")
    ) | Staff.objects.filter(shifts__day=visit.day)
    return AssignVisitForm(
        data,
        staff=choices.select_related("user").distinct().order_by("user__last_name"),
        initial=AssignVisitForm.initial_for(visit=visit),
    )


def _proposed_conflicts(form: AssignVisitForm, visit: Visit) -> list[rules.Conflict] | None:
    """The conflicts of the plan in the form, or None while the form is incomplete."""
    if not form.is_valid():
        return None
    start = minute_of(form.cleaned_data["start"]) or 0
    return selectors.conflicts_if_assigned(
        visit=visit, staff=list(form.cleaned_data["staff"]), start=start
    )


@require_http_methods(["GET", "POST"])
def assign_visit(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    """Assign or move a visit. Every conflict is shown before saving (checked as the form
    changes, and again on save); saving with conflicts needs a reason."""
    staff = staff_for_user(request.user)
    visit = get_visit_for_user(
        staff=staff, external_id=visit_id, what="visit.assign", action=Action.PLAN_VISITS
    )
    form = _assign_form(request, visit, request.POST or None)
    conflicts = _proposed_conflicts(form, visit) if request.method == "POST" else None

    def save() -> None:
        services.assign_visit(
            visit=visit,
            staff=list(form.cleaned_data["staff"]),
            planned_start_minute=minute_of(form.cleaned_data["start"]) or 0,
            override_reason=form.cleaned_data["override_reason"],
            by=staff,
        )

    if saved(request, form, save, message=_("The visit is planned.")):
        return redirect("day_plan", visit.team.external_id, visit.day.isoformat())
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "visit": visit,
        "person": visit.person,
        "conflicts": conflicts,
        "window": f"{rules.clock(visit.window_start_minute)}–"
        f"{rules.clock(visit.window_end_minute)}",
    }
    return render(request, "planning/assign.html", context, status=status)


@require_GET
def check_assignment(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    """The conflicts of the plan in the assign form, before saving (htmx: #conflicts)."""
    staff = staff_for_user(request.user)
    visit = get_visit_for_user(
        staff=staff, external_id=visit_id, what="visit.check", action=Action.PLAN_VISITS
    )
    form = _assign_form(request, visit, request.GET or None)
    conflicts = _proposed_conflicts(form, visit)
    return render(request, "planning/assign.html#conflicts", {"conflicts": conflicts})


@require_GET
def person_day(request: HttpRequest, person_id: uuid.UUID, day: str) -> HttpResponse:
    """One person's visits of a day across every team, and who came (continuity)."""
    staff = staff_for_user(request.user)
    person = get_person_for_user(staff=staff, external_id=person_id, what="planning.person_day")
    on = _day(day)
    visits = selectors.person_day(person=person, day=on)
    conflicts = selectors.day_conflicts(day=on)
    ids = {str(v.external_id) for v in visits}
    context = {
        "person": person,
        "day": on,
        "previous_day": on - datetime.timedelta(days=1),
        "next_day": on + datetime.timedelta(days=1),
        "visits": visits,
        "conflicts": [c for c in conflicts if ids & set(c.visits)],
        "continuity": selectors.person_continuity(person=person, day=on),
    }
    return render(request, "planning/person_day.html", context)


@require_GET
def my_day(request: HttpRequest) -> HttpResponse:
    """The staff member's visits today, in order, for the phone in the field."""
    staff = staff_for_user(request.user)
    if not may(staff.role, Action.RECORD_VISIT):
        raise Http404
    today = local_today()
    visits = selectors.my_day(staff=staff, day=today)
    log_reads(by=staff, people=[visit.person for visit in visits], what="planning.my_day")
    goals = selectors.goals_of_visits(visits)
    context = {
        "visits": visits,
        "cards": [(visit, goals[visit.pk]) for visit in visits],
        "day": today,
    }
    return render(request, "planning/my_day.html", context)


@require_http_methods(["GET", "POST"])
def record_visit(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    visit = get_visit_for_user(
        staff=staff,
        external_id=visit_id,
        what="visit.record",
        action=Action.RECORD_VISIT,
        assigned_only=True,
    )
    form = RecordVisitForm(
        request.POST or None,
        initial={
            "status": Visit.Status.DONE,
            "actual_start": time_of(visit.planned_start_minute),
            "actual_end": time_of(
                None
                if visit.planned_start_minute is None
                else visit.planned_start_minute + visit.duration_minutes
            ),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_visit(
                visit=visit,
                status=data["status"],
                actual_start_minute=minute_of(data["actual_start"]),
                actual_end_minute=minute_of(data["actual_end"]),
                independence=data["independence"],
                note=data["note"],
                deterioration=data["deterioration"],
                today=local_today(),
                by=staff,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _("The visit is recorded."))
            return redirect("my_day")
    status = 400 if form.errors else 200
    context = {"form": form, "visit": visit, "person": visit.person}
    return render(request, "planning/record.html", context, status=status)


@require_GET
def delegations(request: HttpRequest) -> HttpResponse:
    """The delegations register: the nurse's, the coordinator's and MAS's overview."""
    staff = staff_for_user(request.user)
    if not may(staff.role, Action.VIEW_DELEGATIONS):
        raise Http404
    today = local_today()
    rows = [
        (delegation, _state(delegation, today)) for delegation in selectors.delegations_register()
    ]
    context = {
        "rows": rows,
        "expiring": selectors.expiring_delegations(today=today),
        "may_issue": may(staff.role, Action.ISSUE_DELEGATION),
    }
    return render(request, "planning/delegations.html", context)


def _state(delegation: Delegation, today: datetime.date) -> str:
    span = selectors.delegation_spans([delegation])[0]
    if delegation.withdrawn_on is not None and delegation.withdrawn_on <= today:
        return _("Withdrawn")
    if rules.delegation_expiring(span, today):
        return _("Expiring")
    if rules.delegation_valid_on(span, today):
        return _("Valid")
    if delegation.valid_from > today:
        return _("Not yet valid")
    return _("Expired")


@require_http_methods(["GET", "POST"])
def issue_delegation(request: HttpRequest) -> HttpResponse:
    staff = staff_for_user(request.user)
    if not may(staff.role, Action.ISSUE_DELEGATION):
        raise Http404
    today = local_today()
    form = DelegationForm(
        request.POST or None,
        initial={"valid_from": today, "valid_to": today + datetime.timedelta(days=364)},
    )

    def save() -> None:
        services.issue_delegation(
            staff=form.cleaned_data["staff"],
            task=form.cleaned_data["task"],
            valid_from=form.cleaned_data["valid_from"],
            valid_to=form.cleaned_data["valid_to"],
            by=staff,
        )

    if saved(request, form, save, message=_("The delegation is issued.")):
        return redirect("delegations")
    status = 400 if form.errors else 200
    return render(request, "planning/issue_delegation.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def withdraw_delegation(request: HttpRequest, delegation_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    delegation = get_delegation_for_user(
        staff=staff, external_id=delegation_id, action=Action.ISSUE_DELEGATION
    )
    form = WithdrawDelegationForm(request.POST or None, initial={"withdrawn_on": local_today()})

    def save() -> None:
        services.withdraw_delegation(
            delegation=delegation, withdrawn_on=form.cleaned_data["withdrawn_on"], by=staff
        )

    if saved(request, form, save, message=_("The delegation is withdrawn.")):
        return redirect("delegations")
    status = 400 if form.errors else 200
    context = {"form": form, "delegation": delegation}
    return render(request, "planning/withdraw_delegation.html", context, status=status)


@require_GET
def episode_services(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    """The episode's service templates, and the rehab plan's training not yet planned."""
    staff = staff_for_user(request.user)
    episode = get_episode_for_user(staff=staff, external_id=episode_id, what="services.list")
    context = {
        "episode": episode,
        "person": episode.person,
        "templates": selectors.service_templates(episode=episode),
        "training": selectors.training_actions_to_plan(episode=episode),
        "may_manage": may(staff.role, Action.MANAGE_SERVICE_TEMPLATES),
    }
    return render(request, "planning/services.html", context)


@require_http_methods(["GET", "POST"])
def create_service_template(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    """A service template from the decision: what, law, when, how long, by whom."""
    staff = staff_for_user(request.user)
    episode = get_episode_for_user(
        staff=staff,
        external_id=episode_id,
        what="service_template.create",
        action=Action.MANAGE_SERVICE_TEMPLATES,
    )
    decision = current_decision(episode=episode)
    starts_on = local_today() if decision is None else max(local_today(), decision.start_on)
    form = ServiceTemplateForm(
        request.POST or None,
        initial={
            "starts_on": starts_on,
            "weekdays": list(range(7)),
            "window_start": datetime.time(8),
            "window_end": datetime.time(9),
            "duration_minutes": 30,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_service_template(
                episode=episode,
                details=services.TemplateDetails(
                    what=data["what"],
                    law=data["law"],
                    weekdays=data["weekdays"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    window_start_minute=minute_of(data["window_start"]) or 0,
                    window_end_minute=minute_of(data["window_end"]) or 0,
                    duration_minutes=data["duration_minutes"],
                    skills=data["skills"],
                    staff_count=data["staff_count"],
                    taper_after_days=data["taper_after_days"],
                    taper_to_minutes=data["taper_to_minutes"],
                    goal_text=data["goal_text"],
                ),
                by=staff,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _("The service is added to the plan."))
            return redirect("episode_services", episode.external_id)
    status = 400 if form.errors else 200
    context = {"form": form, "episode": episode, "person": episode.person, "decision": decision}
    return render(request, "planning/create_service.html", context, status=status)


@require_http_methods(["GET", "POST"])
def template_from_training_action(request: HttpRequest, action_id: uuid.UUID) -> HttpResponse:
    """Plan a prescribed training action of the rehab plan as recurring visits."""
    staff = staff_for_user(request.user)
    action = get_plan_action_for_user(
        staff=staff,
        external_id=action_id,
        what="service_template.from_training",
        action=Action.MANAGE_SERVICE_TEMPLATES,
    )
    episode = action.plan.episode
    form = ConfirmForm(request.POST if request.method == "POST" else None)

    def save() -> None:
        services.template_from_training_action(action=action, by=staff)

    if saved(request, form, save, message=_("The training is added to the plan.")):
        return redirect("episode_services", episode.external_id)
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "action": action,
        "episode": episode,
        "person": episode.person,
        "weekdays": rules.spread_weekdays(action.times_per_week),
    }
    return render(request, "planning/from_training.html", context, status=status)


def _sick_choices(team_staff: list[Staff]) -> QuerySet[Staff]:
    return (
        Staff.objects.filter(pk__in=[member.pk for member in team_staff])
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


@require_http_methods(["GET", "POST"])
def plan_day(request: HttpRequest, team_id: uuid.UUID, day: str) -> HttpResponse:
    """ "Plan the day" (or re-plan after a sick call): start the planner in the background and
    go to the run's page, which shows its progress. The day plan page has the same forms."""
    staff = staff_for_user(request.user)
    team = get_plan_team_for_user(staff=staff, external_id=team_id)
    if not may(staff.role, Action.PLAN_VISITS):
        raise Http404
    on = _day(day)
    shifts = selectors.shifts_in_plan(team=team, day=on)
    form = PlanDayForm(
        request.POST if request.method == "POST" else None,
        staff=_sick_choices([shift.staff for shift in shifts]),
    )
    if request.method == "POST" and form.is_valid():
        sick = form.cleaned_data["sick"]
        try:
            run = services.request_plan(
                team=team, day=on, by=staff, sick_staff=[sick] if sick is not None else []
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            return redirect("planning_run", run.external_id)
    status = 400 if form.errors else 200
    context = {"form": form, "team": team, "day": on}
    return render(request, "planning/plan_day.html", context, status=status)


@require_http_methods(["GET", "POST"])
def planning_run(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    """A planning run: its progress while the planner works (htmx polls every 2 s), then the
    proposal beside the current plan with their figures, and accepting it. People are shown
    by name only to those who may see them, and every one shown is a logged read."""
    staff = staff_for_user(request.user)
    run = get_planning_run_for_user(staff=staff, external_id=run_id)
    form = AcceptProposalForm(request.POST if request.method == "POST" else None)

    def save() -> None:
        services.accept_proposal(
            run=run, override_reason=form.cleaned_data["override_reason"], by=staff
        )

    if saved(request, form, save, message=_("The proposal is now the plan.")):
        return redirect("day_plan", run.team.external_id, run.day.isoformat())
    comparison = selectors.run_comparison(run=run, visible=visible_person_ids(staff))
    if comparison is not None:
        log_reads(by=staff, people=comparison.people, what="planning.run")
    conflicts = (
        services.accept_conflicts(run) if comparison is not None and run.accepted_at is None else []
    )
    context = {
        "run": run,
        "comparison": comparison,
        "conflicts": conflicts,
        "form": form,
    }
    status = 400 if form.errors else 200
    template = "planning/run.html"
    if request.headers.get("HX-Request") == "true" and request.method == "GET":
        template += "#run"
    return render(request, template, context, status=status)
