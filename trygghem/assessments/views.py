import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygghem.assessments import selectors, services
from trygghem.assessments.access import get_assessment_for_user
from trygghem.assessments.forms import AssessmentForm, ChooseInstrumentForm
from trygghem.assessments.models import Assessment
from trygghem.core.time import local_today
from trygghem.episodes.access import get_episode_for_user
from trygghem.episodes.models import Episode
from trygghem.staff.models import Staff
from trygghem.staff.rules import Action, may
from trygghem.staff.selectors import staff_for_user

_ASSESSABLE = {
    Episode.Status.DECIDED,
    Episode.Status.ACTIVE,
    Episode.Status.FOLLOW_UP_HELD,
    Episode.Status.ENDED,
}


def _may_assess(staff: Staff, episode: Episode) -> bool:
    return may(staff.role, Action.RECORD_ASSESSMENT) and episode.status in _ASSESSABLE


@require_http_methods(["GET", "POST"])
def record_assessment(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    """Choose an instrument and an occasion, then answer the instrument's items."""
    staff = staff_for_user(request.user)
    episode = get_episode_for_user(
        staff=staff,
        external_id=episode_id,
        what="assessment.record",
        action=Action.RECORD_ASSESSMENT,
    )
    # The worklist links here with the occasion only: that preselects it, it is no choice yet.
    chooser = ChooseInstrumentForm(
        request.GET if "instrument" in request.GET else None,
        initial={"occasion": request.GET.get("occasion", Assessment.Occasion.BASELINE)},
        instruments=selectors.instruments_for(staff=staff),
    )
    form = None
    if chooser.is_valid():
        instrument = chooser.cleaned_data["instrument"]
        form = AssessmentForm(
            request.POST or None,
            instrument=instrument,
            initial={"occasion": chooser.cleaned_data["occasion"], "assessed_on": local_today()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                assessment = services.record_assessment(
                    episode=episode,
                    instrument=instrument,
                    occasion=form.cleaned_data["occasion"],
                    assessed_on=form.cleaned_data["assessed_on"],
                    answers=form.answers(),
                    by=staff,
                )
            except ValidationError as error:
                form.add_refusal(error)
            else:
                messages.success(request, _("The assessment is recorded."))
                return redirect("assessment_detail", assessment.external_id)
    errors = chooser.errors if form is None else form.errors
    status = 400 if errors or (form is None and request.method == "POST") else 200
    context = {
        "chooser": chooser,
        "form": form,
        "instrument_name": _(form.instrument.name) if form is not None else "",
        "episode": episode,
        "person": episode.person,
    }
    return render(request, "assessments/record.html", context, status=status)


@require_GET
def assessment_detail(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    """One assessment: the answers item by item and the scores computed from them."""
    staff = staff_for_user(request.user)
    assessment = get_assessment_for_user(
        staff=staff, external_id=assessment_id, what="assessment.detail"
    )
    instrument = assessment.instrument
    context = {
        "assessment": assessment,
        "episode": assessment.episode,
        "person": assessment.person,
        "instrument_name": _(instrument.name),
        "scores": selectors.score_rows(instrument=instrument, scores=assessment.scores),
        "answers": selectors.answer_rows(instrument=instrument, answers=assessment.answers),
    }
    return render(request, "assessments/detail.html", context)


@require_GET
def episode_assessments(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    """Each instrument's trajectory across occasions with the change since baseline. The
    episode page loads it with htmx (the partial); without htmx it is a page of its own."""
    staff = staff_for_user(request.user)
    episode = get_episode_for_user(staff=staff, external_id=episode_id, what="assessment.section")
    context = {
        "episode": episode,
        "person": episode.person,
        "trajectories": selectors.trajectories(episode=episode),
        "may_assess": _may_assess(staff, episode),
        "occasions": Assessment.Occasion.choices,
    }
    template = "assessments/trajectories.html"
    if request.headers.get("HX-Request") == "true":
        template += "#assessment-section"
    return render(request, template, context)
