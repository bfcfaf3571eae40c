"""Every URL with every persona: team members see their people, everybody else gets a 404.

A new URL fails `test_every_url_is_in_the_matrix` until it is added here with who may use it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import (
    active_episode,
    decided_episode,
    followed_up_episode,
    person_details,
    referred_episode,
)
from trygghem.assessments.models import Assessment, Instrument
from trygghem.assessments.services import record_assessment
from trygghem.audit.models import AccessLog
from trygghem.core.time import local_today
from trygghem.decisions.models import Decision, HomeCareDecision
from trygghem.episodes.models import EndReason, Episode, Transition
from trygghem.episodes.services import ServiceDetails, hand_over_episode
from trygghem.planning.tests import matrix as planning_urls
from trygghem.referrals.services import PersonDetails
from trygghem.rehab.models import AssistiveDevice, RehabPlan
from trygghem.rehab.tests.helpers import delivered_device, main_goal, rehab_plan
from trygghem.staff.models import Staff, Team

PERSONAS = [
    "case_officer", "ot", "pt", "nurse", "rehab_assistant", "care_worker", "coordinator",
    "manager", "mas", "admin", "outsider",
]  # fmt: skip
TEAM_STAFF = {"ot", "pt", "nurse", "rehab_assistant", "care_worker", "coordinator"}
SEES_ENROLLED = {"case_officer", "manager"} | TEAM_STAFF
SEES_REFERRED = {"case_officer", "manager"}  # before the decision only the unit's episode
CASE_OFFICER = {"case_officer"}
COORDINATOR = {"coordinator"}
OT_PT = {"ot", "pt"}

OPEN_NAMES = {"login", "logout", "healthz"}  # no person data; tested in the browser suite


@dataclass
class World:
    referred: Episode
    decided: Episode
    active: Episode
    followed_up: Episode
    handed_over: Episode
    decision: Decision
    rehab_plan: RehabPlan
    device: AssistiveDevice


@pytest.fixture
def world(case_officer: Staff, home_care_a: Team, now: datetime.datetime, ot: Staff) -> World:
    def person() -> PersonDetails:
        return person_details(home_care_team=home_care_a)

    followed_up = followed_up_episode(by=case_officer, person=person())
    handed_over = followed_up_episode(by=case_officer, person=person())
    hand_over_episode(
        episode=handed_over,
        reason=EndReason.objects.get(code="handover"),
        ended_on=now.date(),
        receiving_team=home_care_a,
        remaining_needs="Hjälp med dusch en gång i veckan.",
        goals_to_maintain="Laga frukost själv.",
        contacts="",
        services=[ServiceDetails(what="Dusch", how="Personen tvättar sig själv.", when="Fredagar")],
        by=case_officer,
    )
    decided = decided_episode(by=case_officer, person=person())
    active = active_episode(by=case_officer, person=person())
    plan = rehab_plan(episode=active, by=ot)
    main_goal(plan=plan, by=ot)
    return World(
        referred=referred_episode(by=case_officer, person=person()),
        decided=decided,
        active=active,
        followed_up=followed_up,
        handed_over=handed_over,
        decision=decided.decisions.get(is_current=True),
        rehab_plan=plan,
        device=delivered_device(episode=active, by=ot, delivered_on=now.date()),
    )


@dataclass(frozen=True)
class Row:
    name: str
    url: Callable[[World], str]
    allowed: set[str]
    writes: bool = False


def _episode_url(name: str, state: str) -> Callable[[World], str]:
    return lambda world: reverse(name, args=[getattr(world, state).external_id])


def _rehab_url(name: str) -> Callable[[World], str]:
    return lambda world: reverse(name, args=[world.rehab_plan.external_id])


def _device_url(name: str) -> Callable[[World], str]:
    return lambda world: reverse(name, args=[world.device.external_id])


def _assessment_url(world: World) -> str:
    """A baseline safety VAS of the active episode, recorded by an OT the first time it is asked."""
    assessment = Assessment.objects.filter(episode=world.active).first()
    if assessment is None:
        assessment = record_assessment(
            episode=world.active,
            instrument=Instrument.objects.get(code="safety_vas"),
            occasion=Assessment.Occasion.BASELINE,
            assessed_on=local_today(),
            answers={"safety": 50},
            by=Staff.objects.filter(role=Staff.Role.OT).first() or Staff(),
        )
    return reverse("assessment_detail", args=[assessment.external_id])


def _person_url(world: World) -> str:
    return reverse("person_detail", args=[world.active.person.external_id])


def _home_care_url(name: str) -> Callable[[World], str]:
    """A home-care decision of the active episode's person, made the first time it is asked
    (directly, so that asking for the URL writes no change-log row)."""

    def url(world: World) -> str:
        decision, _created = HomeCareDecision.objects.get_or_create(
            person=world.active.person,
            defaults={
                "hours_per_week": Decimal(5),
                "start_on": local_today(),
                "decided_by": world.active.case_officer,
            },
        )
        return reverse(name, args=[decision.external_id])

    return url


def _person_home_care_url(name: str) -> Callable[[World], str]:
    return lambda world: reverse(name, args=[world.active.person.external_id])


MATRIX = [
    Row("home", lambda world: reverse("home"), set(PERSONAS)),
    Row("register_referral", lambda world: reverse("register_referral"), CASE_OFFICER, True),
    Row("person_detail", _person_url, SEES_ENROLLED),
    Row(
        "record_fee_room",
        lambda world: reverse("record_fee_room", args=[world.active.person.external_id]),
        CASE_OFFICER,
        True,
    ),
    Row("episode_detail", _episode_url("episode_detail", "active"), SEES_ENROLLED),
    Row("grant_decision", _episode_url("grant_decision", "referred"), CASE_OFFICER, True),
    Row("close_referral", _episode_url("close_referral", "referred"), CASE_OFFICER, True),
    Row(
        "register_homecoming",
        _episode_url("register_homecoming", "decided"),
        CASE_OFFICER | TEAM_STAFF,
        True,
    ),
    Row("record_follow_up", _episode_url("record_follow_up", "active"), CASE_OFFICER, True),
    Row("end_episode", _episode_url("end_episode", "active"), CASE_OFFICER, True),
    Row("hand_over_episode", _episode_url("hand_over_episode", "followed_up"), CASE_OFFICER, True),
    Row(
        "implementation_plan_pdf",
        _episode_url("implementation_plan_pdf", "handed_over"),
        SEES_ENROLLED,
    ),
    Row(
        "decision_detail",
        lambda world: reverse("decision_detail", args=[world.decision.external_id]),
        SEES_ENROLLED,
    ),
    Row(
        "adjust_decision",
        lambda world: reverse("adjust_decision", args=[world.decision.external_id]),
        CASE_OFFICER,
        True,
    ),
    Row("person_home_care", _person_home_care_url("person_home_care"), SEES_ENROLLED),
    Row(
        "grant_home_care_decision",
        _person_home_care_url("grant_home_care_decision"),
        CASE_OFFICER,
        True,
    ),
    Row("end_home_care_decision", _home_care_url("end_home_care_decision"), CASE_OFFICER, True),
    Row(
        "replace_home_care_decision",
        _home_care_url("replace_home_care_decision"),
        CASE_OFFICER,
        True,
    ),
    Row("access_log", lambda world: reverse("access_log"), {"mas"}),
    Row("day_plan", lambda w: planning_urls.day_plan(w.active), {"coordinator", "manager"}),
    Row("generate_visits", lambda w: planning_urls.generate_visits(w.active), COORDINATOR, True),
    Row("add_shift", lambda w: planning_urls.add_shift(w.active), COORDINATOR, True),
    Row("assign_visit", lambda w: planning_urls.assign_visit(w.active), COORDINATOR, True),
    Row("check_assignment", lambda w: planning_urls.check_assignment(w.active), COORDINATOR),
    Row("plan_day", lambda w: planning_urls.plan_day(w.active), COORDINATOR, True),
    Row("planning_run", lambda w: planning_urls.planning_run(w.active), COORDINATOR, True),
    Row("record_visit", lambda w: planning_urls.record_visit(w.active), {"rehab_assistant"}, True),
    Row("person_day", lambda w: planning_urls.person_day(w.active), SEES_ENROLLED),
    Row(
        "morning_meeting",
        lambda w: planning_urls.morning_meeting(w.active),
        {"coordinator", "manager"},
        True,
    ),
    Row("episode_services", lambda w: planning_urls.episode_services(w.active), SEES_ENROLLED),
    Row(
        "create_service_template",
        lambda w: planning_urls.create_service_template(w.active),
        CASE_OFFICER | COORDINATOR,
        True,
    ),
    Row(
        "template_from_training_action",
        lambda w: planning_urls.template_from_training_action(w.active),
        CASE_OFFICER | COORDINATOR,
        True,
    ),
    # Every care worker has a day of their own, the outsider too (it lists only their visits).
    Row("my_day", lambda w: reverse("my_day"), TEAM_STAFF - COORDINATOR | {"outsider"}),
    Row("delegations", lambda world: reverse("delegations"), {"nurse", "coordinator", "mas"}),
    Row("issue_delegation", lambda world: reverse("issue_delegation"), {"nurse"}, True),
    Row(
        "withdraw_delegation",
        lambda world: planning_urls.withdraw_delegation(world.active),
        {"nurse"},
        True,
    ),
    Row("rehab_section", _episode_url("rehab_section", "active"), SEES_ENROLLED),
    Row("create_rehab_plan", _episode_url("create_rehab_plan", "followed_up"), OT_PT, True),
    Row("rehab_plan_detail", _rehab_url("rehab_plan_detail"), SEES_ENROLLED),
    Row("edit_rehab_plan", _rehab_url("edit_rehab_plan"), OT_PT, True),
    Row("add_goal", _rehab_url("add_goal"), OT_PT, True),
    Row("add_action", _rehab_url("add_action"), OT_PT, True),
    Row("review_rehab_plan", _rehab_url("review_rehab_plan"), OT_PT, True),
    Row("close_rehab_plan", _rehab_url("close_rehab_plan"), OT_PT, True),
    Row("rehab_plan_pdf", _rehab_url("rehab_plan_pdf"), SEES_ENROLLED),
    Row(
        "person_devices",
        lambda world: reverse("person_devices", args=[world.active.person.external_id]),
        SEES_ENROLLED,
    ),
    Row("register_device", _episode_url("register_device", "active"), OT_PT, True),
    Row("deliver_device", _device_url("deliver_device"), OT_PT, True),
    Row("follow_up_device", _device_url("follow_up_device"), OT_PT, True),
    Row("return_device", _device_url("return_device"), OT_PT, True),
    Row("episode_assessments", _episode_url("episode_assessments", "active"), SEES_ENROLLED),
    Row("record_assessment", _episode_url("record_assessment", "active"), {"ot", "pt"}, True),
    Row("assessment_detail", _assessment_url, SEES_ENROLLED),
    Row("reports", lambda world: reverse("reports"), {"manager"}),
    Row("report_csv", lambda world: reverse("report_csv", args=["inflow"]), {"manager"}),
    Row("report_xlsx", lambda world: reverse("report_xlsx", args=["inflow"]), {"manager"}),
    Row("capacity_planner", lambda world: reverse("capacity_planner"), {"manager"}),
    Row("report_outcomes", lambda world: reverse("report_outcomes"), {"manager"}),
    Row("report_comparison", lambda world: reverse("report_comparison"), {"manager"}),
    Row("report_economics", lambda world: reverse("report_economics"), {"manager"}),
    Row("fee_basis", lambda world: reverse("fee_basis", args=["2026-03"]), {"manager"}),
]
REFERRED_ONLY = Row("episode_detail", _episode_url("episode_detail", "referred"), SEES_REFERRED)


def _named_urls(patterns: list[URLPattern | URLResolver]) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                names |= _named_urls(pattern.url_patterns)
        elif pattern.name:
            names.add(pattern.name)
    return names


def test_every_url_is_in_the_matrix() -> None:
    assert _named_urls(get_resolver().url_patterns) - OPEN_NAMES == {row.name for row in MATRIX}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_answers_each_persona_as_its_role_and_teams_allow(
    persona: str, world: World, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)
    client = Client()
    client.force_login(staff.user)
    outcomes = {row.url(world): client.get(row.url(world)).status_code for row in MATRIX}
    outcomes[REFERRED_ONLY.url(world)] = client.get(REFERRED_ONLY.url(world)).status_code
    expected = {row.url(world): 200 if persona in row.allowed else 404 for row in MATRIX}
    expected[REFERRED_ONLY.url(world)] = 200 if persona in REFERRED_ONLY.allowed else 404
    assert outcomes == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_write_by_a_persona_who_may_not_is_a_404_and_changes_nothing(
    persona: str, world: World, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)
    client = Client()
    client.force_login(staff.user)
    forbidden = [row for row in MATRIX if row.writes and persona not in row.allowed]
    before = (Transition.objects.count(), Decision.objects.count(), AccessLog.objects.count())
    statuses = [client.post(row.url(world), {}).status_code for row in forbidden]
    assert statuses == [404] * len(forbidden)
    after = (Transition.objects.count(), Decision.objects.count(), AccessLog.objects.count())
    assert after == before


def test_a_reader_who_is_denied_leaves_no_read_in_the_log(world: World, outsider: Staff) -> None:
    client = Client()
    client.force_login(outsider.user)
    before = AccessLog.objects.count()
    assert client.get(_person_url(world)).status_code == 404
    assert AccessLog.objects.count() == before


def test_each_page_read_writes_one_log_row_naming_the_reader_and_the_person(
    world: World, ot: Staff
) -> None:
    client = Client()
    client.force_login(ot.user)
    before = AccessLog.objects.count()
    client.get(_person_url(world))
    rows = list(AccessLog.objects.order_by("-id")[: AccessLog.objects.count() - before])
    assert [(r.staff_id, r.person_id, r.kind, r.what, r.purpose) for r in rows] == [
        (ot.pk, world.active.person_id, "read", "person.detail", "care")
    ]


def test_the_admin_is_only_for_administrators(world: World, admin: Staff, manager: Staff) -> None:
    client = Client()
    client.force_login(admin.user)
    assert client.get(reverse("admin:index")).status_code == 200
    client.force_login(manager.user)
    response = client.get(reverse("admin:index"))
    assert (response.status_code, response["Location"]) == (
        302,
        "/admin/login/?next=/admin/",
    )
