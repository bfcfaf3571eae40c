"""Demo assessments, written after the main load: baseline and end for most finished episodes
(ADL staircase, Katz ADL, COPM, perceived safety; SPPB for some), baselines for most people
at home now, and some +3 months follow-ups. People improve on average, not all of them.

Answers are validated and scored by the real rules (assessments.rules), never made up as
scores. Like the rest of the demo, seed data writes no access-log rows.
"""

import datetime
import random
from collections.abc import Callable
from typing import Any

from trygghem.assessments import rules
from trygghem.assessments.models import Assessment, Instrument
from trygghem.core.time import local_date
from trygghem.episodes.models import Episode
from trygghem.staff.models import Staff

Occasion = Assessment.Occasion
FINISHED_REASONS = ["handover", "no_further_need"]
SHARE_ASSESSED = 0.85
COPM_PROBLEMS = [
    "Duscha själv",
    "Laga frukost",
    "Klä på mig själv",
    "Handla mat i affären",
    "Gå ut med rollatorn",
    "Städa köket",
    "Ta mig i och ur sängen",
    "Gå i trappan till tvättstugan",
    "Åka buss till vårdcentralen",
]


class _Person:
    """One person's function at baseline, and how much it improves by the end."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.levels = {
            "cleaning": rng.choice([2, 3, 3]),
            "shopping": rng.choice([2, 3, 3]),
            "transport": rng.choice([1, 2, 3]),
            "cooking": rng.choice([1, 2, 2, 3]),
            "bathing": rng.choice([1, 2, 2, 3]),
            "dressing": rng.choice([0, 1, 2, 2]),
            "toileting": rng.choice([0, 0, 1, 2]),
            "transferring": rng.choice([0, 1, 1, 2]),
            "continence": rng.choice([0, 0, 0, 1, 2]),
            "feeding": rng.choice([0, 0, 0, 1]),
        }
        self.gain = rng.choice([-1, 0, 1, 1, 1, 2, 2, 3])
        self.problems = rng.sample(COPM_PROBLEMS, rng.randint(2, 4))
        self.importance = [rng.randint(6, 10) for _ in self.problems]
        self.performance = [rng.randint(2, 5) for _ in self.problems]
        self.satisfaction = [rng.randint(1, 5) for _ in self.problems]
        self.safety = rng.randint(25, 70)
        self.gait = rng.uniform(6.0, 13.0)
        self.chair = rng.uniform(14.0, 26.0)

    def improve(self) -> None:
        rng = self.rng
        for code, level in self.levels.items():
            if rng.random() < 0.25 * max(self.gain, 0):
                self.levels[code] = max(0, level - 1)
        self.performance = [
            min(10, max(1, p + self.gain + rng.randint(0, 2))) for p in self.performance
        ]
        self.satisfaction = [
            min(10, max(1, s + self.gain + rng.randint(0, 2))) for s in self.satisfaction
        ]
        self.safety = min(100, max(0, self.safety + 8 * self.gain + rng.randint(-5, 10)))
        self.gait = max(3.5, self.gait - 0.8 * self.gain)
        self.chair = max(9.0, self.chair - 1.5 * self.gain)

    def answers(self, code: str) -> dict[str, Any]:
        if code == "adl_staircase":
            return dict(self.levels)
        if code == "katz_adl":
            return {c: int(self.levels[c] >= 2) for c in rules.KATZ_ITEMS}
        if code == "safety_vas":
            return {"safety": self.safety}
        if code == "copm":
            answers: dict[str, Any] = {}
            for n, problem in enumerate(self.problems, start=1):
                answers |= {
                    f"problem_{n}": problem,
                    f"importance_{n}": self.importance[n - 1],
                    f"performance_{n}": self.performance[n - 1],
                    f"satisfaction_{n}": self.satisfaction[n - 1],
                }
            return answers
        balance = self.rng.choice([("10", "10", "4.2"), ("10", "10", "10"), ("10", "7.5", "")])
        return {
            "side_by_side": balance[0],
            "semi_tandem": balance[1],
            "tandem": balance[2],
            "gait_4m": f"{self.gait:.2f}",
            "chair_stands": f"{self.chair:.2f}" if self.chair < 25 else rules.UNABLE,
        }


class _Writer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"assessments-{seed}")  # noqa: S311 (demo data, not security)
        self.instruments = {
            instrument.code: instrument
            for instrument in Instrument.objects.filter(version=1, code__in=[
                "katz_adl", "adl_staircase", "copm", "safety_vas", "sppb"
            ])
        }  # fmt: skip
        self.ot = Staff.objects.filter(role=Staff.Role.OT).order_by("pk").first()
        self.pt = Staff.objects.filter(role=Staff.Role.PT).order_by("pk").first()
        self.rows: list[Assessment] = []

    def add(
        self, episode: Episode, code: str, occasion: str, day: datetime.date, person: _Person
    ) -> None:
        instrument = self.instruments[code]
        by = self.pt if code == "sppb" else self.ot
        assert by is not None  # noqa: S101 (the demo has an OT and a PT)
        answers = rules.validate_answers(instrument.definition, person.answers(code))
        self.rows.append(
            Assessment(
                episode=episode,
                person_id=episode.person_id,
                instrument=instrument,
                instrument_code=code,
                occasion=occasion,
                assessed_on=day,
                assessed_by=by,
                answers=answers,
                scores=rules.compute_scores(instrument.definition, answers),
            )
        )

    def episode(self, episode: Episode, today: datetime.date, *, finished: bool) -> None:
        assert episode.home_at is not None  # noqa: S101 (filtered on)
        home_on = local_date(episode.home_at)
        person = _Person(self.rng)
        codes = ["adl_staircase", "katz_adl", "copm", "safety_vas"]
        if self.rng.random() < 0.35:
            codes.append("sppb")
        baseline_on = min(home_on + datetime.timedelta(days=1), episode.ended_on or today)
        for code in codes:
            self.add(episode, code, Occasion.BASELINE, baseline_on, person)
        if not finished or episode.ended_on is None:
            return
        person.improve()
        for code in codes:
            self.add(episode, code, Occasion.END, episode.ended_on, person)
        _earliest, target, _latest = rules.after_episode_window(
            Occasion.PLUS_3_MONTHS, episode.ended_on
        )
        if target <= today and self.rng.random() < 0.5:
            for code in ("adl_staircase", "safety_vas"):
                self.add(episode, code, Occasion.PLUS_3_MONTHS, target, person)


def write_assessments(
    *, seed: int, today: datetime.date, progress: Callable[[str], None]
) -> dict[str, int]:
    """Write the demo's assessments; returns the number of rows written."""
    progress("Sparar bedömningar …")
    writer = _Writer(seed)
    if writer.ot is None or writer.pt is None or len(writer.instruments) < 5:
        return {"bedömningar": 0}
    finished = Episode.objects.filter(
        status=Episode.Status.ENDED, end_reason__code__in=FINISHED_REASONS, home_at__isnull=False
    ).order_by("pk")
    for episode in finished:
        if writer.rng.random() < SHARE_ASSESSED:
            writer.episode(episode, today, finished=True)
    at_home = Episode.objects.filter(
        status__in=[Episode.Status.ACTIVE, Episode.Status.FOLLOW_UP_HELD]
    ).order_by("pk")
    for episode in at_home:
        if writer.rng.random() < 0.6:
            writer.episode(episode, today, finished=False)
    Assessment.objects.bulk_create(writer.rows, batch_size=500)
    return {"bedömningar": len(writer.rows)}
