"""Recording assessments. Scores are computed here from the answers by rules.compute_scores;
nobody types a score in."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trygghem.assessments import rules, selectors
from trygghem.assessments.models import Assessment, Instrument
from trygghem.audit.services import record_change
from trygghem.core.time import local_today
from trygghem.episodes.models import Episode
from trygghem.episodes.services import lock_episode
from trygghem.staff.models import Staff
from trygghem.staff.rules import Action, check_may


def _check_instrument(instrument: Instrument, by: Staff) -> None:
    if not instrument.active:
        raise ValidationError(
            {
                "instrument": ValidationError(
                    _("Choose one of the listed instruments."), code="inactive_instrument"
                )
            }
        )
    if not selectors.may_use(instrument=instrument, staff=by):
        raise ValidationError(
            {
                "instrument": ValidationError(
                    _("Your team is not licensed to use %(instrument)s.")
                    % {"instrument": _(instrument.name)},
                    code="not_licensed",
                )
            }
        )


def _check_copm_problems(
    *, episode: Episode, instrument: Instrument, occasion: str, answers: dict[str, Any]
) -> None:
    """A COPM re-assessment rates the problems chosen at baseline, so it needs the baseline."""
    if instrument.definition["scoring"] != "copm" or occasion == Assessment.Occasion.BASELINE:
        return
    baseline = Assessment.objects.filter(
        episode=episode, instrument_code=instrument.code, occasion=Assessment.Occasion.BASELINE
    ).first()
    if baseline is None:
        raise ValidationError(
            _("Record the COPM baseline first: a re-assessment rates the same problems."),
            code="copm_needs_baseline",
        )
    rules.check_same_copm_problems(baseline.answers, answers)


@transaction.atomic
def record_assessment(
    *,
    episode: Episode,
    instrument: Instrument,
    occasion: str,
    assessed_on: datetime.date,
    answers: dict[str, Any],
    by: Staff,
) -> Assessment:
    """Record an instrument's answers on one occasion and store the scores computed from them.
    Refused for a value outside its scale, a required item missing, a COPM re-assessment on
    other problems than the baseline, a date outside the episode (or outside the window of a
    +3/6/12 months occasion), or an instrument already recorded for the occasion."""
    check_may(by, Action.RECORD_ASSESSMENT)
    episode = lock_episode(episode)
    _check_instrument(instrument, by)
    if occasion not in Assessment.Occasion.values:
        raise ValidationError(
            {"occasion": ValidationError(_("Choose an occasion."), code="invalid_choice")}
        )
    rules.check_assessment_date(
        occasion=occasion,
        assessed_on=assessed_on,
        started_on=selectors.started_on(episode=episode),
        ended_on=episode.ended_on,
        today=local_today(),
    )
    if Assessment.objects.filter(
        episode=episode, instrument_code=instrument.code, occasion=occasion
    ).exists():
        raise ValidationError(
            _("%(instrument)s is already recorded for this occasion.")
            % {"instrument": _(instrument.name)},
            code="duplicate_assessment",
        )
    cleaned = rules.validate_answers(instrument.definition, answers)
    _check_copm_problems(episode=episode, instrument=instrument, occasion=occasion, answers=cleaned)
    assessment = Assessment.objects.create(
        episode=episode,
        person=episode.person,
        instrument=instrument,
        instrument_code=instrument.code,
        occasion=occasion,
        assessed_on=assessed_on,
        assessed_by=by,
        answers=cleaned,
        scores=rules.compute_scores(instrument.definition, cleaned),
    )
    record_change(
        by=by,
        person=episode.person,
        action="assessment.recorded",
        detail={
            "assessment": str(assessment.external_id),
            "instrument": instrument.code,
            "version": instrument.version,
            "occasion": occasion,
        },
    )
    return assessment
