"""Time the follow-up dashboard's selectors on 50 000 synthetic episodes over five years.

    createdb -h 127.0.0.1 -U postgres trygghem_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/trygghem_bench \\
        .venv/bin/python bench/reports/dashboard.py [--write-docs]

Migrates the database, fills it once (bulk_create; a second run reuses the rows), then times
each selector with the worst filters: the whole five years for a manager who sees every team,
and the same with every filter set. With --write-docs the figures replace the "Dashboard
queries" section of docs/benchmarks.md (other sections are left as they are).
"""

import datetime
import functools
import os
import random
import statistics
import sys
import time
import zoneinfo
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from trygghem.decisions.models import Decision  # noqa: E402
from trygghem.episodes.models import EndReason, Episode, Program  # noqa: E402
from trygghem.people.models import Person  # noqa: E402
from trygghem.referrals.models import Referral  # noqa: E402
from trygghem.reports import selectors  # noqa: E402
from trygghem.reports.models import TeamCapacity  # noqa: E402
from trygghem.reports.selectors import ReportFilter  # noqa: E402
from trygghem.staff.models import Staff, Team  # noqa: E402

EPISODES = 50_000
TODAY = datetime.date(2026, 3, 10)
FIRST = TODAY - datetime.timedelta(days=5 * 365)
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
BATCH = 5_000
RUNS = 5


def _weighted(rng: random.Random, options: list[tuple[str, float]]) -> str:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


@transaction.atomic
def fill() -> Staff:
    """Teams, a manager who sees them all, and EPISODES episodes with a realistic mix: inflow
    rising over the years, 15 % green triage closed, lengths around two weeks, ~8 % readmitted,
    a tenth of the people referred twice."""
    rng = random.Random(2026)  # noqa: S311 - synthetic data
    unit, _ = Team.objects.get_or_create(name="Bench unit", kind=Team.Kind.NEEDS_ASSESSMENT)
    reablement, _ = Team.objects.get_or_create(name="Bench reablement", kind=Team.Kind.REABLEMENT)
    rehab, _ = Team.objects.get_or_create(name="Bench rehab", kind=Team.Kind.REHAB)
    home_care = [
        Team.objects.get_or_create(name=f"Bench home care {n}", kind=Team.Kind.HOME_CARE)[0]
        for n in range(10)
    ]
    TeamCapacity.objects.get_or_create(team=reablement, defaults={"places": 40})
    user, _ = get_user_model().objects.get_or_create(username="bench-manager")
    manager, _ = Staff.objects.get_or_create(user=user, defaults={"role": Staff.Role.MANAGER})
    manager.teams.set([unit, reablement, rehab, *home_care])
    if Episode.objects.count() >= EPISODES:
        return manager

    programs = {p.code: p for p in Program.objects.all()}
    reasons = {r.code: r for r in EndReason.objects.all()}
    people = [
        Person(
            identity_number=f"19{n:010d}",
            birth_date=datetime.date(1925 + n % 40, 1 + n % 12, 1 + n % 28),
            first_name="Bench",
            last_name=f"Person {n}",
            street_address="Storgatan 1",
        )
        for n in range(int(EPISODES * 0.9))
    ]
    Person.objects.bulk_create(people, batch_size=BATCH)
    people = list(Person.objects.filter(first_name="Bench").order_by("pk"))

    # Inflow rises from about 20 to 40 a month... times the city's size: days drawn with a
    # linear trend over the five years, sorted so a person's second referral comes later.
    span = (TODAY - FIRST).days
    days = sorted(int(span * rng.random() ** 0.8) for _ in range(EPISODES))
    referrals, episodes, decisions, memberships = [], [], [], []
    for index, offset in enumerate(days):
        received_on = FIRST + datetime.timedelta(days=offset)
        person = people[index] if index < len(people) else people[rng.randrange(len(people))]
        source = _weighted(
            rng, [("hospital", 60), ("short_term", 15), ("home_care", 15), ("applicant", 10)]
        )
        triage = _weighted(rng, [("green", 15), ("yellow", 60), ("red", 25)])
        ready_on = (
            received_on + datetime.timedelta(days=rng.randint(0, 2))
            if source == "hospital"
            else None
        )
        hours = Decimal(0) if rng.random() < 0.4 else Decimal(round(rng.gammavariate(2, 4), 1))
        referrals.append(
            Referral(
                person=person,
                source=source,
                received_on=received_on,
                ready_for_discharge_on=ready_on,
                home_care_hours_before=min(hours, Decimal(80)),
                triage=triage,
                feels_safe="partly",
                registered_by=manager,
            )
        )
    Referral.objects.bulk_create(referrals, batch_size=BATCH)

    for referral in referrals:
        program = programs[_weighted(rng, [("trygg_hemgang", 70), ("trygg_hemma", 25), ("ihr", 5)])]
        episode = Episode(
            person_id=referral.person_id,
            referral=referral,
            program=program,
            unit=unit,
            case_officer=manager,
        )
        waited = rng.choice([0, 1, 1, 2, 2, 3, 4, 5, 7])
        start_on = (referral.ready_for_discharge_on or referral.received_on) + datetime.timedelta(
            days=waited
        )
        if referral.triage == "green" or rng.random() < 0.05:
            episode.status = Episode.Status.CLOSED
            episode.ended_on = referral.received_on + datetime.timedelta(days=1)
            episode.end_reason = reasons[
                "triage_green" if referral.triage == "green" else "excluded"
            ]
        elif start_on >= TODAY:
            episode.status = Episode.Status.REFERRED
        else:
            length = max(1, min(program.max_days, round(rng.gauss(0.9 * program.max_days, 3))))
            ended_on = start_on + datetime.timedelta(days=length - 1)
            episode.home_at = datetime.datetime.combine(
                start_on, datetime.time(10), tzinfo=STOCKHOLM
            )
            if ended_on >= TODAY:
                episode.status = Episode.Status.ACTIVE
            else:
                episode.status = Episode.Status.ENDED
                episode.ended_on = ended_on
                episode.end_reason = reasons[
                    _weighted(
                        rng,
                        [
                            ("handover", 45),
                            ("no_further_need", 40),
                            ("readmitted", 8),
                            ("declined", 4),
                            ("deceased", 2),
                            ("moved", 1),
                        ],
                    )
                ]
            decisions.append(
                Decision(
                    episode=episode,
                    person_id=referral.person_id,
                    program=program,
                    granted_services="Bench",
                    start_on=start_on,
                    end_on=start_on + datetime.timedelta(days=program.max_days - 1),
                    follow_up_on=start_on,
                    terminated_on=episode.ended_on,
                    decided_by=manager,
                )
            )
        episodes.append(episode)
    Episode.objects.bulk_create(episodes, batch_size=BATCH)
    for decision in decisions:
        decision.episode_id = decision.episode.pk
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
    through = Episode.teams.through
    for episode in episodes:
        memberships.append(through(episode_id=episode.pk, team_id=unit.pk))
        if episode.status != Episode.Status.CLOSED:
            memberships += [
                through(episode_id=episode.pk, team_id=reablement.pk),
                through(episode_id=episode.pk, team_id=rehab.pk),
                through(episode_id=episode.pk, team_id=rng.choice(home_care).pk),
            ]
    through.objects.bulk_create(memberships, batch_size=BATCH)
    return manager


def timed(function: object, **kwargs: object) -> float:
    """The median of RUNS runs in milliseconds (the first run warms the caches)."""
    runs = []
    for _run in range(RUNS + 1):
        started = time.perf_counter()
        function(**kwargs)  # type: ignore[operator]
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs[1:])


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    call_command("migrate", verbosity=0)
    reused = Episode.objects.count() >= EPISODES
    started = time.perf_counter()
    manager = fill()
    filled = (
        "reused from an earlier run"
        if reused
        else f"filled with bulk_create in {time.perf_counter() - started:.0f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts = (Episode.objects.count(), Decision.objects.count(), Referral.objects.count())

    from django.utils import timezone

    whole = ReportFilter(from_on=FIRST, to_on=TODAY)
    team = Team.objects.get(name="Bench home care 3")
    narrowed = ReportFilter(
        from_on=FIRST,
        to_on=TODAY,
        program=Program.objects.get(code="trygg_hemgang"),
        team=team,
        triage="yellow",
        source="hospital",
    )
    with timezone.override(STOCKHOLM):
        rows = []
        for name in [
            "inflow",
            "occupancy",
            "lengths",
            "lead_times",
            "readmissions",
            "home_care_hours",
            "dashboard",
            "outcomes",
            "comparison",
            "economics",
        ]:
            function = getattr(selectors, name)
            if name == "comparison":
                function = functools.partial(function, compare=selectors.Compare.BEFORE)
            rows.append(
                (
                    name,
                    timed(function, staff=manager, filters=whole),
                    timed(function, staff=manager, filters=narrowed),
                )
            )
        capacity = timed(selectors.measured_capacity, staff=manager)
        fees = timed(selectors.fee_basis, staff=manager, month=datetime.date(2025, 10, 1))

    lines = [
        "## Dashboard queries",
        "",
        f"`bench/reports/dashboard.py` on PostgreSQL {connection.pg_version // 10000}: "
        f"{counts[0]:,} episodes, {counts[1]:,} decisions and {counts[2]:,} referrals over five "
        f"years ({FIRST} – {TODAY}), {filled} (about 45 s on a fresh database). Median of "
        f"{RUNS} runs after a warm-up, in milliseconds, for a manager who sees every team. "
        "'Whole period' is the worst case (five years, no narrowing); 'every filter' adds "
        "program, team, triage and source. Target: under 1 000 ms per dashboard.",
        "",
        "| selector | whole period (ms) | every filter (ms) |",
        "|---|---:|---:|",
        *[f"| `{name}` | {whole_ms:.0f} | {narrow_ms:.0f} |" for name, whole_ms, narrow_ms in rows],
        f"| `measured_capacity` (capacity planner) | {capacity:.0f} | – |",
        f"| `fee_basis` (one month) | {fees:.0f} | – |",
        "",
        "Measured on the shared 2-core machine while other test suites ran. The dashboard is 13 "
        "queries (9 over the episodes); most of each one's time is the team-visibility check "
        "(`episodes_visible_to`: a semi-join on the episode-team table) and the five-year "
        "scan, not the grouping. Periods filter on the stored homecoming moment rather than its "
        "date, so PostgreSQL estimates rows from the column's statistics and chooses hash joins "
        "(filtering on the date cast made it pick nested loops: 200 ms instead of 90 ms for one "
        "figure). No index was needed for this size.",
        "",
        "Visits are not part of this benchmark: the planning app's visits did not exist when the "
        "dashboard was built, so the issue's 5 million visits are still to be added (continuity, "
        "cost per episode from staff hours).",
        "",
    ]
    section = "\n".join(lines)
    print(section)
    if "--write-docs" in sys.argv:
        write_section(ROOT / "docs" / "benchmarks.md", section)


def write_section(path: Path, section: str) -> None:
    """Replace the '## Dashboard queries' section (up to the next '## ') or append it."""
    text = path.read_text() if path.exists() else "# Benchmarks\n\n"
    start = text.find("## Dashboard queries")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1 :] if end != -1 else "")
    path.write_text(text)


if __name__ == "__main__":
    main()
