import uuid
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygghem.core.time import local_today
from trygghem.core.views import saved
from trygghem.episodes.access import get_episode_for_user
from trygghem.episodes.models import Episode
from trygghem.people.access import get_person_for_user
from trygghem.rehab import pdf, selectors, services
from trygghem.rehab.access import get_device_for_user, get_plan_for_user
from trygghem.rehab.forms import (
    ActionForm,
    ClosePlanForm,
    DeviceDateForm,
    DeviceForm,
    FactorForm,
    FactorFormSet,
    GoalForm,
    PlanForm,
    ReviewForm,
    factor_details,
    factor_initial,
)
from trygghem.rehab.models import AssistiveDevice, RehabPlan
from trygghem.staff.models import Staff
from trygghem.staff.rules import Action, may
from trygghem.staff.selectors import staff_for_user

_AT_HOME = {Episode.Status.ACTIVE, Episode.Status.FOLLOW_UP_HELD}


@require_GET
def rehab_section(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    """The episode page's rehab section, loaded with htmx: the plan's goals and actions, the
    printed plan in three languages, and the person's assistive devices."""
    staff = staff_for_user(request.user)
    episode = get_episode_for_user(staff=staff, external_id=episode_id, what="rehab.section")
    plan = selectors.rehab_plan(episode_id=episode.pk)
    writes = may(staff.role, Action.WRITE_REHAB_PLAN)
    context = {
        "episode": episode,
        "plan": plan,
        "goals": selectors.goal_tree(plan=plan) if plan is not None else [],
        "may_create": writes and plan is None and episode.status in _AT_HOME,
        "may_write": writes and plan is not None and not plan.is_closed,
        "may_manage_devices": may(staff.role, Action.MANAGE_ASSISTIVE_DEVICES) and episode.is_open,
        "devices": selectors.devices_for_person(person=episode.person).filter(episode=episode),
        "languages": pdf.LANGUAGES,
    }
    return render(request, "rehab/section.html", context)


def _plan_page(
    request: HttpRequest,
    *,
    plan: RehabPlan,
    plan_form: PlanForm,
    factor_forms: forms.BaseFormSet[FactorForm],
) -> HttpResponse:
    status = 400 if plan_form.errors or factor_forms.total_error_count() else 200
    context = {
        "form": plan_form,
        "factor_forms": factor_forms,
        "episode": plan.episode,
        "person": plan.episode.person,
        "plan": plan if plan.pk else None,
    }
    return render(request, "rehab/plan_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def create_rehab_plan(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    episode = get_episode_for_user(
        staff=staff,
        external_id=episode_id,
        what="rehab_plan.create",
        action=Action.WRITE_REHAB_PLAN,
    )
    form = PlanForm(request.POST or None)
    factor_forms = FactorFormSet(request.POST or None, prefix="factors")
    if request.method == "POST" and all([form.is_valid(), factor_forms.is_valid()]):
        try:
            plan = services.create_rehab_plan(
                episode=episode,
                impairments=form.cleaned_data["impairments"],
                activity_limitations=form.cleaned_data["activity_limitations"],
                factors=factor_details(factor_forms),
                next_review_on=form.cleaned_data["next_review_on"],
                by=staff,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _("The rehab plan is made. Add the person's goals."))
            return redirect("rehab_plan_detail", plan.external_id)
    return _plan_page(
        request, plan=RehabPlan(episode=episode), plan_form=form, factor_forms=factor_forms
    )


@require_http_methods(["GET", "POST"])
def edit_rehab_plan(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    plan = get_plan_for_user(
        staff=staff, external_id=plan_id, what="rehab_plan.edit", action=Action.WRITE_REHAB_PLAN
    )
    form = PlanForm(request.POST or None, initial=PlanForm.initial_for(plan))
    factor_forms = FactorFormSet(
        request.POST or None, prefix="factors", initial=factor_initial(plan)
    )
    if request.method == "POST" and all([form.is_valid(), factor_forms.is_valid()]):
        try:
            services.update_rehab_plan(
                plan=plan,
                impairments=form.cleaned_data["impairments"],
                activity_limitations=form.cleaned_data["activity_limitations"],
                factors=factor_details(factor_forms),
                next_review_on=form.cleaned_data["next_review_on"],
                by=staff,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _("The rehab plan is saved."))
            return redirect("rehab_plan_detail", plan.external_id)
    return _plan_page(request, plan=plan, plan_form=form, factor_forms=factor_forms)


@require_GET
def rehab_plan_detail(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    plan = get_plan_for_user(staff=staff, external_id=plan_id, what="rehab_plan.detail")
    context = {
        "plan": plan,
        "episode": plan.episode,
        "person": plan.episode.person,
        "factors": list(plan.factors.all()),
        "goals": selectors.goal_tree(plan=plan),
        "reviews": selectors.reviews(plan=plan),
        "kva_events": plan.kva_events.select_related("by__user"),
        "may_write": may(staff.role, Action.WRITE_REHAB_PLAN) and not plan.is_closed,
        "languages": pdf.LANGUAGES,
    }
    return render(request, "rehab/detail.html", context)


def _form_page(
    request: HttpRequest,
    *,
    form: object,
    plan: RehabPlan,
    title: str,
    button: str,
    cancel: str,
) -> HttpResponse:
    status = 400 if getattr(form, "errors", None) else 200
    context = {
        "form": form,
        "episode": plan.episode,
        "person": plan.episode.person,
        "title": title,
        "button": button,
        "cancel": cancel,
    }
    return render(request, "rehab/form.html", context, status=status)


def _plan_write(request: HttpRequest, plan_id: uuid.UUID, what: str) -> tuple[Staff, RehabPlan]:
    staff = staff_for_user(request.user)
    plan = get_plan_for_user(
        staff=staff, external_id=plan_id, what=what, action=Action.WRITE_REHAB_PLAN
    )
    return staff, plan


def _back_to(plan: RehabPlan) -> str:
    return reverse("rehab_plan_detail", args=[plan.external_id])


@require_http_methods(["GET", "POST"])
def add_goal(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    staff, plan = _plan_write(request, plan_id, "rehab_plan.add_goal")
    form = GoalForm(request.POST or None, plan=plan)

    def save() -> None:
        services.add_goal(
            plan=plan,
            own_words=form.cleaned_data["own_words"],
            activity=form.cleaned_data["activity"],
            icf_code=form.cleaned_data["icf_code"],
            target=form.cleaned_data["target"],
            target_on=form.cleaned_data["target_on"],
            parent=form.cleaned_data["parent"],
            by=staff,
        )

    if saved(request, form, save, message=_("The goal is added.")):
        return redirect("rehab_plan_detail", plan.external_id)
    return _form_page(
        request,
        form=form,
        plan=plan,
        title=_("Add a goal"),
        button=_("Add goal"),
        cancel=_back_to(plan),
    )


@require_http_methods(["GET", "POST"])
def add_action(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    staff, plan = _plan_write(request, plan_id, "rehab_plan.add_action")
    form = ActionForm(request.POST or None, plan=plan)

    def save() -> None:
        services.add_action(
            plan=plan,
            goal=form.cleaned_data["goal"],
            what=form.cleaned_data["what"],
            who=form.cleaned_data["who"],
            times_per_week=form.cleaned_data["times_per_week"],
            until_on=form.cleaned_data["until_on"],
            training=form.training(),
            by=staff,
        )

    if saved(request, form, save, message=_("The action is added.")):
        return redirect("rehab_plan_detail", plan.external_id)
    return _form_page(
        request,
        form=form,
        plan=plan,
        title=_("Add an action"),
        button=_("Add action"),
        cancel=_back_to(plan),
    )


@require_http_methods(["GET", "POST"])
def review_rehab_plan(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    staff, plan = _plan_write(request, plan_id, "rehab_plan.review")
    goals = list(plan.goals.order_by("-is_main", "target_on", "id"))
    form = ReviewForm(request.POST or None, goals=goals, initial={"reviewed_on": local_today()})
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_plan(
                plan=plan,
                reviewed_on=form.cleaned_data["reviewed_on"],
                attainments=form.attainments(),
                note=form.cleaned_data["note"],
                next_review_on=form.cleaned_data["next_review_on"],
                by=staff,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            if review.revised:
                messages.success(request, _("The review is recorded: followed up and revised."))
            else:
                messages.success(request, _("The review is recorded: followed up."))
            return redirect("rehab_plan_detail", plan.external_id)
    return _form_page(
        request,
        form=form,
        plan=plan,
        title=_("Review the rehab plan"),
        button=_("Record review"),
        cancel=_back_to(plan),
    )


@require_http_methods(["GET", "POST"])
def close_rehab_plan(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    staff, plan = _plan_write(request, plan_id, "rehab_plan.close")
    form = ClosePlanForm(request.POST or None, initial={"closed_on": local_today()})

    def save() -> None:
        services.close_plan(plan=plan, closed_on=form.cleaned_data["closed_on"], by=staff)

    if saved(request, form, save, message=_("The rehab plan is closed.")):
        return redirect("rehab_plan_detail", plan.external_id)
    return _form_page(
        request,
        form=form,
        plan=plan,
        title=_("Close the rehab plan"),
        button=_("Close plan"),
        cancel=_back_to(plan),
    )


@require_GET
def rehab_plan_pdf(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    """The person's plan as a PDF for the person and relatives, in Swedish, Finnish or English
    (?lang=sv|fi|en; Swedish unless given). Printing it is a read of the person's record."""
    staff = staff_for_user(request.user)
    plan = get_plan_for_user(staff=staff, external_id=plan_id, what="rehab_plan.pdf")
    language = request.GET.get("lang", "sv")
    if language not in dict(pdf.LANGUAGES):
        language = "sv"
    filename = pdf.rehab_plan_filename(plan=plan, language=language)
    return HttpResponse(
        pdf.rehab_plan_pdf(plan=plan, language=language),
        content_type="application/pdf",
        headers={"Content-Disposition": content_disposition_header(False, filename)},
    )


# Assistive devices


@require_GET
def person_devices(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The register of the person's assistive devices across their episodes."""
    staff = staff_for_user(request.user)
    person = get_person_for_user(staff=staff, external_id=person_id, what="devices.list")
    context = {
        "person": person,
        "devices": selectors.devices_for_person(person=person),
        "may_manage": may(staff.role, Action.MANAGE_ASSISTIVE_DEVICES),
    }
    return render(request, "rehab/devices.html", context)


@require_http_methods(["GET", "POST"])
def register_device(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    episode = get_episode_for_user(
        staff=staff,
        external_id=episode_id,
        what="device.register",
        action=Action.MANAGE_ASSISTIVE_DEVICES,
    )
    form = DeviceForm(request.POST or None, initial={"prescribed_on": local_today()})

    def save() -> None:
        services.register_device(
            episode=episode,
            device_type=form.cleaned_data["device_type"],
            description=form.cleaned_data["description"],
            prescribed_by=form.cleaned_data["prescribed_by"],
            prescribed_on=form.cleaned_data["prescribed_on"],
            by=staff,
        )

    if saved(request, form, save, message=_("The assistive device is registered.")):
        return redirect("person_devices", episode.person.external_id)
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "episode": episode,
        "person": episode.person,
        "title": _("Register an assistive device"),
        "button": _("Register device"),
        "cancel": _devices_url(episode.person.external_id),
    }
    return render(request, "rehab/form.html", context, status=status)


def _devices_url(person_id: uuid.UUID) -> str:
    return reverse("person_devices", args=[person_id])


DeviceStep = Callable[..., AssistiveDevice]


def _device_step(
    request: HttpRequest,
    device_id: uuid.UUID,
    *,
    what: str,
    step: DeviceStep,
    date_argument: str,
    title: str,
    done: str,
) -> HttpResponse:
    staff = staff_for_user(request.user)
    device = get_device_for_user(
        staff=staff, external_id=device_id, what=what, action=Action.MANAGE_ASSISTIVE_DEVICES
    )
    form = DeviceDateForm(request.POST or None, initial={"on": local_today()})

    def save() -> None:
        step(device=device, by=staff, **{date_argument: form.cleaned_data["on"]})

    if saved(request, form, save, message=done):
        return redirect("person_devices", device.person.external_id)
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "person": device.person,
        "title": f"{title}: {device.name}",
        "button": title,
        "cancel": _devices_url(device.person.external_id),
    }
    return render(request, "rehab/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def deliver_device(request: HttpRequest, device_id: uuid.UUID) -> HttpResponse:
    return _device_step(
        request,
        device_id,
        what="device.deliver",
        step=services.deliver_device,
        date_argument="delivered_on",
        title=_("Record delivery"),
        done=_("The delivery is recorded."),
    )


@require_http_methods(["GET", "POST"])
def follow_up_device(request: HttpRequest, device_id: uuid.UUID) -> HttpResponse:
    return _device_step(
        request,
        device_id,
        what="device.follow_up",
        step=services.follow_up_device,
        date_argument="followed_up_on",
        title=_("Record follow-up"),
        done=_("The follow-up is recorded."),
    )


@require_http_methods(["GET", "POST"])
def return_device(request: HttpRequest, device_id: uuid.UUID) -> HttpResponse:
    return _device_step(
        request,
        device_id,
        what="device.return",
        step=services.return_device,
        date_argument="returned_on",
        title=_("Record return"),
        done=_("The return is recorded."),
    )
