"""Plan the day: the service asks, the Huey worker runs the planner through the real queue
storage (a SQLite file, or Redis when it runs here), the coordinator accepts the proposal."""

import datetime
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, TestCase
from django.urls import reverse
from huey.contrib.djhuey import HUEY  # type: ignore[import-untyped]
from huey.storage import RedisStorage, SqliteStorage  # type: ignore[import-untyped]

from tests.assertions import error_codes, skip_unless_ci
from tests.factories import active_episode, person_details
from trygghem.audit.models import AccessLog
from trygghem.episodes.models import Episode
from trygghem.people.models import Person
from trygghem.planning import services
from trygghem.planning.models import PlanningRun, Visit, VisitAssignment
from trygghem.planning.tests.helpers import NEIGHBOUR, planning_state, shift, visit
from trygghem.staff.models import Staff, Team

VALIDATE = Path(__file__).resolve().parents[3].parent / "shared" / "planning" / "validate.py"
REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture(params=["sqlite", "redis"])
def queue(
    request: pytest.FixtureRequest, tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    """Huey with its real storage in a temporary place; the planner stops on iterations. The
    task runs inside the test's transaction, so it must not close the connection there as it
    does in the consumer."""
    monkeypatch.setattr("huey.contrib.djhuey.close_old_connections", lambda: None)
    settings.TRYGGHEM_PLAN_MAX_ITERATIONS = 30
    if request.param == "redis":
        if not _redis_answers():
            skip_unless_ci("Redis does not answer on 127.0.0.1:6379")
        storage = RedisStorage(name=f"trygghem-test-{uuid.uuid4().hex}", url=REDIS_URL)
    else:
        storage = SqliteStorage(name="trygghem-test", filename=str(tmp_path / "huey.sqlite3"))
    original = HUEY.storage
    HUEY.storage = storage
    yield HUEY
    storage.flush_all()
    HUEY.storage = original


def work(huey: Any) -> None:
    """The consumer's step: take the next task from the storage and execute it."""
    task = huey.dequeue()
    assert task is not None
    huey.execute(task)


@pytest.fixture
def day(today: datetime.date) -> datetime.date:
    return today


@pytest.fixture
def neighbour(case_officer: Staff, home_care_a: Team) -> Episode:
    episode = active_episode(
        by=case_officer, person=person_details(last_name="Granne", home_care_team=home_care_a)
    )
    Person.objects.filter(pk=episode.person_id).update(
        latitude=NEIGHBOUR[0], longitude=NEIGHBOUR[1]
    )
    return Episode.objects.select_related("person").get(pk=episode.pk)


@pytest.fixture
def tiny_day(
    at_home: Episode,
    neighbour: Episode,
    home_care_a: Team,
    coordinator: Staff,
    care_worker: Staff,
    rehab_assistant: Staff,
    day: datetime.date,
) -> list[Visit]:
    """Two staff with rows in group A's plan, four visits to two people."""
    shift(care_worker, home_care_a, day, coordinator)
    shift(rehab_assistant, home_care_a, day, coordinator)
    return [
        visit(at_home, home_care_a, day, window_start_minute=480, window_end_minute=540),
        visit(at_home, home_care_a, day, window_start_minute=720, window_end_minute=780),
        visit(neighbour, home_care_a, day, window_start_minute=480, window_end_minute=540),
        visit(neighbour, home_care_a, day, window_start_minute=600, window_end_minute=660),
    ]


def _validate(run: PlanningRun, tmp_path: Path) -> None:
    if not VALIDATE.exists():
        skip_unless_ci("../shared/planning/validate.py is not beside the repository")
    problem, plan = tmp_path / "problem.json", tmp_path / "plan.json"
    problem.write_text(json.dumps(run.problem), encoding="utf-8")
    plan.write_text(json.dumps(run.proposal), encoding="utf-8")
    result = subprocess.run(  # noqa: S603 - the shared checker, fixed arguments
        [sys.executable, str(VALIDATE), str(problem), str(plan)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def request(
    team: Team, day: datetime.date, by: Staff, sick: list[Staff] | None = None
) -> PlanningRun:
    """request_plan as the view calls it; its transaction "commits" as the block ends."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.request_plan(team=team, day=day, by=by, sick_staff=sick or [])


def _planned(
    queue: Any, home_care_a: Team, day: datetime.date, by: Staff, sick: list[Staff] | None = None
) -> PlanningRun:
    run = request(home_care_a, day, by, sick)
    work(queue)
    run.refresh_from_db()
    return run


@pytest.mark.parametrize("queue", ["sqlite", "redis"], indirect=True)
def test_plan_the_day_runs_the_planner_in_the_worker_and_stores_a_valid_proposal(
    queue: Any,
    tiny_day: list[Visit],
    home_care_a: Team,
    coordinator: Staff,
    day: datetime.date,
    tmp_path: Path,
) -> None:
    run = request(home_care_a, day, coordinator)
    assert (run.status, queue.pending_count()) == ("queued", 1)
    work(queue)
    run.refresh_from_db()
    assert (run.status, run.unassigned_count, run.error) == ("done", 0, "")
    assert run.proposal is not None
    assert sorted(stop["visit"] for r in run.proposal["routes"] for stop in r["stops"]) == sorted(
        str(v.external_id) for v in tiny_day
    )
    assert run.travel_minutes is not None and run.travel_minutes > 0
    assert run.objective is not None and run.distinct_staff_mean is not None
    _validate(run, tmp_path)


def test_the_problem_holds_ids_only_no_names_or_personnummer(
    queue: Any, tiny_day: list[Visit], home_care_a: Team, coordinator: Staff, day: datetime.date
) -> None:
    run = services.request_plan(team=home_care_a, day=day, by=coordinator)
    text = json.dumps(run.problem)
    for person in {v.person for v in tiny_day}:
        assert person.last_name not in text
        assert person.first_name not in text
        assert person.identity_number not in text
        assert person.identity_number.replace("-", "") not in text
        assert person.street_address not in text


def test_plan_the_day_is_refused_when_nobody_has_a_row(
    queue: Any, at_home: Episode, home_care_a: Team, coordinator: Staff, day: datetime.date
) -> None:
    visit(at_home, home_care_a, day)
    before = planning_state()
    with pytest.raises(ValidationError) as refusal:
        services.request_plan(team=home_care_a, day=day, by=coordinator)
    assert error_codes(refusal.value) == ["no_staff"]
    assert planning_state() == before
    assert PlanningRun.objects.count() == 0
    assert queue.pending_count() == 0


def test_accepting_the_proposal_saves_its_assignments(
    queue: Any, tiny_day: list[Visit], home_care_a: Team, coordinator: Staff, day: datetime.date
) -> None:
    run = _planned(queue, home_care_a, day, coordinator)
    services.accept_proposal(run=run, override_reason="", by=coordinator)
    assert run.proposal is not None
    expected = {
        (stop["visit"], route["staff"])
        for route in run.proposal["routes"]
        for stop in route["stops"]
    }
    saved = {
        (str(a.visit.external_id), str(a.staff.external_id))
        for a in VisitAssignment.objects.select_related("visit", "staff")
    }
    assert saved == expected
    assert Visit.objects.filter(planned_start_minute__isnull=True).count() == 0
    run.refresh_from_db()
    assert run.accepted_by == coordinator


def test_accepting_a_proposal_that_now_conflicts_needs_a_reason(
    queue: Any,
    tiny_day: list[Visit],
    at_home: Episode,
    reablement_team: Team,
    home_care_a: Team,
    coordinator: Staff,
    day: datetime.date,
) -> None:
    run = _planned(queue, home_care_a, day, coordinator)
    # Meanwhile the reablement team books the person for the whole day.
    visit(
        at_home,
        reablement_team,
        day,
        window_start_minute=420,
        window_end_minute=420,
        duration_minutes=480,
        planned_start_minute=420,
    )
    before = planning_state()
    with pytest.raises(ValidationError) as refusal:
        services.accept_proposal(run=run, override_reason="", by=coordinator)
    assert error_codes(refusal.value) == {"override_reason": ["conflicts"]}
    assert planning_state() == before
    services.accept_proposal(run=run, override_reason="Agreed with the team", by=coordinator)
    reasons = Visit.objects.filter(team=home_care_a).values_list(
        "person__last_name", "override_reason"
    )
    assert set(reasons) == {("Hemma", "Agreed with the team"), ("Granne", "")}


def test_re_planning_after_a_sick_call_keeps_the_others_assignments(
    queue: Any,
    tiny_day: list[Visit],
    home_care_a: Team,
    coordinator: Staff,
    care_worker: Staff,
    rehab_assistant: Staff,
    day: datetime.date,
    tmp_path: Path,
) -> None:
    first, _second, third, fourth = tiny_day
    services.assign_visit(
        visit=first,
        staff=[care_worker],
        planned_start_minute=480,
        override_reason="",
        by=coordinator,
    )
    services.assign_visit(
        visit=third,
        staff=[rehab_assistant],
        planned_start_minute=480,
        override_reason="",
        by=coordinator,
    )
    services.assign_visit(
        visit=fourth,
        staff=[rehab_assistant],
        planned_start_minute=600,
        override_reason="",
        by=coordinator,
    )
    run = _planned(queue, home_care_a, day, coordinator, sick=[care_worker])
    assert run.status == "done"
    assert run.proposal is not None
    routes = {
        route["staff"]: {s["visit"] for s in route["stops"]} for route in run.proposal["routes"]
    }
    assert str(care_worker.external_id) not in routes
    kept = routes[str(rehab_assistant.external_id)]
    assert {str(third.external_id), str(fourth.external_id)} <= kept
    _validate(run, tmp_path)


def test_the_coordinator_plans_the_day_watches_it_and_accepts_it(
    queue: Any, tiny_day: list[Visit], home_care_a: Team, coordinator: Staff, day: datetime.date
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator.user)
    plan_url = reverse("day_plan", args=[home_care_a.external_id, day.isoformat()])
    assert "Plan the day" in client.get(plan_url).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(plan_url + "plan/", {"sick": ""})
    run = PlanningRun.objects.get()
    run_url = reverse("planning_run", args=[run.external_id])
    assert response.status_code == 302 and response["Location"] == run_url
    waiting = client.get(run_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in waiting
    assert "<html" not in waiting
    work(queue)
    before = AccessLog.objects.filter(what="planning.run").count()
    page = client.get(run_url).content.decode()
    assert "Accept the proposal" in page
    assert 'hx-trigger="every 2s"' not in page
    assert "Hemma" in page and "Granne" in page
    assert AccessLog.objects.filter(what="planning.run").count() == before + 2
    response = client.post(run_url, {"override_reason": ""})
    assert response.status_code == 302 and response["Location"] == plan_url
    assert Visit.objects.filter(planned_start_minute__isnull=True).count() == 0


def test_a_coordinator_of_another_team_cannot_open_the_run(
    queue: Any,
    tiny_day: list[Visit],
    home_care_a: Team,
    home_care_b: Team,
    coordinator: Staff,
    day: datetime.date,
) -> None:
    run = services.request_plan(team=home_care_a, day=day, by=coordinator)
    coordinator.teams.set([home_care_b])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator.user)
    assert client.get(reverse("planning_run", args=[run.external_id])).status_code == 404
