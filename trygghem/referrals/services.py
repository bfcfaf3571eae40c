"""Writes for referrals: registering one opens an episode in the state 'referred'."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trygghem.audit.services import record_change
from trygghem.core.identity import parse_identity_number
from trygghem.core.time import local_today
from trygghem.episodes.models import Episode, Program, Transition
from trygghem.people.models import BirthDayRange, Person, Relative
from trygghem.people.rules import range_for_birth_day
from trygghem.referrals import rules
from trygghem.referrals.models import ExclusionCriterion, Referral
from trygghem.staff.models import Staff, Team
from trygghem.staff.rules import Action, check_may


@dataclass(frozen=True)
class RelativeDetails:
    name: str
    relation: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PersonDetails:
    identity_number: str
    first_name: str
    last_name: str
    street_address: str
    postal_code: str = ""
    city: str = ""
    language: str = "svenska"
    needs_interpreter: bool = False
    safety_alarm: bool = False
    phone: str = ""
    home_care_team: Team | None = None
    relatives: list[RelativeDetails] = field(default_factory=list)


@dataclass(frozen=True)
class ReferralDetails:
    source: str
    received_on: datetime.date
    admitted_on: datetime.date | None
    ready_for_discharge_on: datetime.date | None
    planned_home_on: datetime.date | None
    home_care_hours_before: Decimal
    triage: str
    feels_safe: str
    exclusion_criteria: list[ExclusionCriterion]
    program: Program


def needs_assessment_unit(staff: Staff) -> Team:
    unit = staff.teams.filter(kind=Team.Kind.NEEDS_ASSESSMENT).first()
    if unit is None:
        raise ValidationError(
            _("You do not belong to a needs-assessment unit, so you cannot register referrals."),
            code="no_unit",
        )
    return unit


def responsible_case_officer(person: Person, *, default: Staff) -> Staff:
    """The case officer who answers for people born on the person's day of the month (Hofors
    brochure); the registering officer when no range names one."""
    ranges = list(BirthDayRange.objects.select_related("case_officer"))
    found = range_for_birth_day(person.birth_date, ranges)
    if found is None or found.case_officer is None:
        return default
    return found.case_officer


@transaction.atomic
def register_referral(*, person: PersonDetails, referral: ReferralDetails, by: Staff) -> Episode:
    """Register a referral and open an episode for the person. Refused while the person already
    has an open episode, so a second submission of the same referral changes nothing."""
    check_may(by, Action.REGISTER_REFERRAL)
    today = local_today()
    try:
        identity = parse_identity_number(person.identity_number, today=today)
    except ValidationError as error:
        raise ValidationError({"identity_number": error}) from error
    rules.check_referral_dates(
        received_on=referral.received_on,
        admitted_on=referral.admitted_on,
        ready_for_discharge_on=referral.ready_for_discharge_on,
        planned_home_on=referral.planned_home_on,
        today=today,
    )
    rules.check_home_care_hours(referral.home_care_hours_before)
    unit = needs_assessment_unit(by)
    if person.home_care_team is not None and person.home_care_team.kind != Team.Kind.HOME_CARE:
        raise ValidationError(
            {
                "home_care_team": ValidationError(
                    _("Choose a home-care group."), code="not_home_care"
                )
            }
        )

    existing = Person.objects.select_for_update().filter(identity_number=identity.digits).first()
    if (
        existing is not None
        and existing.episodes.exclude(
            status__in=[Episode.Status.ENDED, Episode.Status.CLOSED]
        ).exists()
    ):
        raise ValidationError(
            _(
                "The person already has an open referral or episode. "
                "Open it instead of registering a new one."
            ),
            code="open_episode_exists",
        )
    values = {
        "is_coordination_number": identity.is_coordination_number,
        "birth_date": identity.birth_date,
        "first_name": person.first_name.strip(),
        "last_name": person.last_name.strip(),
        "street_address": person.street_address.strip(),
        "postal_code": person.postal_code.strip(),
        "city": person.city.strip(),
        "language": person.language.strip() or "svenska",
        "needs_interpreter": person.needs_interpreter,
        "safety_alarm": person.safety_alarm,
        "phone": person.phone.strip(),
        "home_care_team": person.home_care_team,
    }
    if existing is None:
        subject = Person.objects.create(identity_number=identity.digits, **values)
    else:
        subject = existing
        for name, value in values.items():
            setattr(subject, name, value)
        subject.save()
    known_relatives = {name.casefold() for name in subject.relatives.values_list("name", flat=True)}
    for relative in person.relatives:
        if relative.name.strip() and relative.name.strip().casefold() not in known_relatives:
            Relative.objects.create(
                person=subject,
                name=relative.name.strip(),
                relation=relative.relation.strip(),
                phone=relative.phone.strip(),
            )

    saved = Referral.objects.create(
        person=subject,
        source=referral.source,
        received_on=referral.received_on,
        admitted_on=referral.admitted_on,
        ready_for_discharge_on=referral.ready_for_discharge_on,
        planned_home_on=referral.planned_home_on,
        home_care_hours_before=referral.home_care_hours_before,
        triage=referral.triage,
        feels_safe=referral.feels_safe,
        registered_by=by,
    )
    saved.exclusion_criteria.set(referral.exclusion_criteria)
    episode = Episode.objects.create(
        person=subject,
        referral=saved,
        program=referral.program,
        unit=unit,
        case_officer=responsible_case_officer(subject, default=by),
        status=Episode.Status.REFERRED,
    )
    episode.teams.add(unit)
    Transition.objects.create(episode=episode, from_status="", to_status=episode.status, by=by)
    record_change(
        by=by,
        person=subject,
        action="referral.registered",
        detail={
            "episode": str(episode.external_id),
            "source": referral.source,
            "triage": referral.triage,
            "new_person": existing is None,
        },
    )
    return episode
