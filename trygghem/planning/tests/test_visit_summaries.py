"""The visit summaries (staff work per episode, visits per episode and day) always equal the
visits: checked after every step of sequences built through the real services, against an
aggregate computed here in Python straight from the visits."""

import datetime
from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError

from tests.assertions import error_codes
from tests.factories import active_episode, person_details
from trygghem.episodes.models import Episode
from trygghem.planning import services
from trygghem.planning.models import EpisodeStaffWork, EpisodeVisitDay, PlanningRun, Visit
from trygghem.planning.tests.helpers import planning_state, shift, template
from trygghem.staff.models import Staff, Team

Work = dict[tuple[int, int], tuple[int, int]]
Days = dict[tuple[int, datetime.date], tuple[int, int]]


def from_visits() -> tuple[Work, Days]:
    """Per (episode, staff) the visits done and their minutes; per (episode, day) the visits
    and those with an override: counted visit by visit."""
    work: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    days: dict[tuple[int, datetime.date], list[int]] = defaultdict(lambda: [0, 0])
    for visit in Visit.objects.prefetch_related("assignments"):
        day = days[visit.episode_id, visit.day]
        day[0] += 1
        day[1] += bool(visit.override_reason)
        if visit.status != Visit.Status.DONE:
            continue
        for assignment in visit.assignments.all():
            row = work[visit.episode_id, assignment.staff_id]
            row[0] += 1
            if visit.actual_start_minute is not None and visit.actual_end_minute is not None:
                row[1] += visit.actual_end_minute - visit.actual_start_minute
    return (
        {key: (count, minutes) for key, (count, minutes) in work.items()},
        {key: (count, overridden) for key, (count, overridden) in days.items()},
    )


def summaries() -> tuple[Work, Days]:
    return (
        {
            (row.episode_id, row.staff_id): (row.visits_done, row.minutes_done)
            for row in EpisodeStaffWork.objects.all()
        },
        {
            (row.episode_id, row.day): (row.visits, row.overridden)
            for row in EpisodeVisitDay.objects.all()
        },
    )


def assert_summaries_equal_the_visits() -> tuple[Work, Days]:
    expected = from_visits()
    assert summaries() == expected
    return expected


@pytest.fixture
def neighbour(case_officer: Staff, home_care_a: Team) -> Episode:
    return active_episode(
        by=case_officer, person=person_details(last_name="Granne", home_care_team=home_care_a)
    )


@pytest.fixture
def days(today: datetime.date) -> list[datetime.date]:
    return [today - datetime.timedelta(days=2), today - datetime.timedelta(days=1), today]


@pytest.fixture
def generated(
    at_home: Episode,
    neighbour: Episode,
    coordinator: Staff,
    care_worker: Staff,
    rehab_assistant: Staff,
    reablement_team: Team,
    days: list[datetime.date],
) -> dict[datetime.date, list[Visit]]:
    """Three days of visits to two people generated from their templates (one of them by two
    staff), with both staff on shift every day."""
    template(at_home)
    template(at_home, what="Lunch", window_start_minute=11 * 60, window_end_minute=12 * 60)
    template(neighbour, what="Dusch", staff_count=2, duration_minutes=45)
    for day in days:
        shift(care_worker, reablement_team, day, coordinator)
        shift(rehab_assistant, reablement_team, day, coordinator)
    return {
        day: services.generate_visits(day=day, team=reablement_team, by=coordinator) for day in days
    }


def _assign(visit: Visit, staff: list[Staff], start: int, by: Staff, reason: str = "") -> None:
    services.assign_visit(
        visit=visit, staff=staff, planned_start_minute=start, override_reason=reason, by=by
    )


def _done(visit: Visit, start: int, end: int, by: Staff, today: datetime.date) -> None:
    services.record_visit(
        visit=visit, status="done", actual_start_minute=start, actual_end_minute=end,
        independence="with_support", note="", deterioration=False, today=today, by=by,
    )  # fmt: skip


def test_the_summaries_equal_the_visits_through_generating_assigning_and_recording(
    generated: dict[datetime.date, list[Visit]],
    coordinator: Staff,
    care_worker: Staff,
    rehab_assistant: Staff,
    days: list[datetime.date],
    today: datetime.date,
) -> None:
    first, second, _third = days
    morning, shower, lunch = generated[first]
    work, by_day = assert_summaries_equal_the_visits()
    assert (len(work), sorted(by_day.values())) == (0, [(1, 0)] * 3 + [(2, 0)] * 3)

    # Placed, moved to someone else, kept outside its window with a reason, then put back.
    _assign(morning, [rehab_assistant], 480, coordinator)
    _assign(morning, [care_worker], 490, coordinator)
    _assign(lunch, [rehab_assistant], 800, coordinator, reason="Personen bad om senare tid")
    _assign(shower, [care_worker, rehab_assistant], 540, coordinator)
    assert summaries()[1][lunch.episode_id, first] == (2, 1)
    assert_summaries_equal_the_visits()
    _assign(lunch, [rehab_assistant], 700, coordinator)
    assert summaries()[1][lunch.episode_id, first] == (2, 0)
    assert_summaries_equal_the_visits()

    # Done, done by two staff, not done; a second recording is refused and changes nothing.
    _done(morning, 490, 525, care_worker, today)
    _done(shower, 540, 600, rehab_assistant, today)
    services.record_visit(
        visit=lunch, status="not_done", actual_start_minute=700, actual_end_minute=730,
        independence="", note="Inte hemma", deterioration=False, today=today,
        by=rehab_assistant,
    )  # fmt: skip
    work, _by_day = assert_summaries_equal_the_visits()
    assert work == {
        (morning.episode_id, care_worker.pk): (1, 35),
        (shower.episode_id, care_worker.pk): (1, 60),
        (shower.episode_id, rehab_assistant.pk): (1, 60),
    }
    before = planning_state()
    with pytest.raises(ValidationError) as refusal:
        _done(morning, 480, 600, care_worker, today)
    assert error_codes(refusal.value) == ["already_recorded"]
    with pytest.raises(ValidationError) as refusal:
        _assign(morning, [rehab_assistant], 480, coordinator)
    assert error_codes(refusal.value) == ["visit_recorded"]
    assert planning_state() == before

    # The next day: the same people by other staff, with other times.
    morning2, shower2, lunch2 = generated[second]
    _assign(morning2, [rehab_assistant], 485, coordinator)
    _assign(lunch2, [care_worker], 690, coordinator)
    _assign(shower2, [rehab_assistant, care_worker], 530, coordinator)
    _done(morning2, 485, 505, rehab_assistant, today)
    _done(lunch2, 690, 735, care_worker, today)
    _done(shower2, 530, 580, care_worker, today)
    work, _by_day = assert_summaries_equal_the_visits()
    assert work == {
        (morning.episode_id, care_worker.pk): (2, 35 + 45),
        (morning.episode_id, rehab_assistant.pk): (1, 20),
        (shower.episode_id, care_worker.pk): (2, 60 + 50),
        (shower.episode_id, rehab_assistant.pk): (2, 60 + 50),
    }

    # Rebuilding everything from the visits gives the rows kept step by step.
    kept = summaries()
    services.rebuild_visit_summaries(episode_ids=None)
    assert summaries() == kept


def test_accepting_a_proposal_keeps_the_summaries_equal_the_visits(
    generated: dict[datetime.date, list[Visit]],
    coordinator: Staff,
    care_worker: Staff,
    rehab_assistant: Staff,
    reablement_team: Team,
    today: datetime.date,
) -> None:
    """The proposal re-places two visits, one of them kept outside its window before, and takes
    a third off the plan, clearing its override."""
    morning, shower, lunch = generated[today]
    _assign(morning, [rehab_assistant], 800, coordinator, reason="Sent, personen bad om det")
    _assign(lunch, [care_worker], 690, coordinator)
    _assign(shower, [care_worker, rehab_assistant], 600, coordinator, reason="Sent")
    assert (
        summaries()[1][morning.episode_id, today],
        summaries()[1][shower.episode_id, today],
    ) == (
        (2, 1),
        (1, 1),
    )
    staff = [str(member.external_id) for member in (care_worker, rehab_assistant)]
    run = PlanningRun.objects.create(
        team=reablement_team,
        day=today,
        requested_by=coordinator,
        status=PlanningRun.Status.DONE,
        problem={
            "visits": [{"id": str(v.external_id)} for v in (morning, lunch, shower)],
            "staff": [{"id": member} for member in staff],
        },
        current={},
        proposal={
            "format": "trygghem-plan/1",
            "routes": [
                {"staff": staff[0], "stops": [{"visit": str(morning.external_id), "start": 480}]},
                {"staff": staff[1], "stops": [{"visit": str(lunch.external_id), "start": 660}]},
            ],
            "unassigned": [str(shower.external_id)],
        },
    )

    services.accept_proposal(run=run, override_reason="", by=coordinator)

    assert (
        summaries()[1][morning.episode_id, today],
        summaries()[1][shower.episode_id, today],
    ) == (
        (2, 0),
        (1, 0),
    )
    assert_summaries_equal_the_visits()
    _done(morning, 480, 510, care_worker, today)
    work, _by_day = assert_summaries_equal_the_visits()
    assert work == {(morning.episode_id, care_worker.pk): (1, 30)}


def test_a_rebuild_repairs_only_the_episodes_it_is_given(
    generated: dict[datetime.date, list[Visit]],
    at_home: Episode,
    neighbour: Episode,
    coordinator: Staff,
    care_worker: Staff,
    today: datetime.date,
) -> None:
    morning = generated[today][0]
    _assign(morning, [care_worker], 480, coordinator)
    _done(morning, 480, 520, care_worker, today)
    expected = assert_summaries_equal_the_visits()
    EpisodeStaffWork.objects.update(minutes_done=1)
    EpisodeVisitDay.objects.update(visits=9)

    services.rebuild_visit_summaries(episode_ids=[at_home.pk])

    work, by_day = summaries()
    assert work == expected[0]
    assert {key: value for key, value in by_day.items() if key[0] == at_home.pk} == {
        key: value for key, value in expected[1].items() if key[0] == at_home.pk
    }
    assert {value for key, value in by_day.items() if key[0] == neighbour.pk} == {(9, 0)}
    services.rebuild_visit_summaries(episode_ids=[])
    services.rebuild_visit_summaries(episode_ids=None)
    assert summaries() == expected
