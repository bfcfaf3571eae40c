"""Small problems and the independent check every test plan goes through."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from planner import Plan, parse_problem, plan_to_json, solve
from planner.model import JSON

REPO = Path(__file__).resolve().parents[2]
VALIDATE = REPO.parent / "shared" / "planning" / "validate.py"


def problem(
    visits: Sequence[JSON],
    staff: Sequence[JSON] | None = None,
    *,
    travel: JSON = None,
    locations: list[JSON] | None = None,
    weights: JSON = None,
) -> dict[str, JSON]:
    """A line of homes on the x axis, one minute apart, office at 0; one staff member 0-600."""
    line: list[JSON] = [{"id": "office", "x": 0, "y": 0}]
    line += [{"id": f"h{i}", "x": i, "y": 0} for i in range(1, 11)]
    doc: dict[str, JSON] = {
        "format": "trygghem-problem/1",
        "name": "test",
        "travel": travel or {"kind": "euclidean", "speed": 1},
        "locations": locations or line,
        "staff": list(
            staff or [{"id": "s1", "start": "office", "end": "office", "shift": [0, 600]}]
        ),
        "visits": list(visits),
    }
    if weights is not None:
        doc["weights"] = weights
    return doc


def visit(
    vid: str, home: int, window: list[JSON], duration: int = 10, **extra: JSON
) -> dict[str, JSON]:
    v: dict[str, JSON] = {
        "id": vid,
        "client": f"c{home}",
        "location": f"h{home}",
        "window": window,
        "duration": duration,
    }
    v.update(extra)
    return v


def staff(sid: str, shift: list[JSON] | None = None, **extra: JSON) -> JSON:
    s: dict[str, JSON] = {"id": sid, "start": "office", "end": "office", "shift": shift or [0, 600]}
    s.update(extra)
    return s


def check(doc: dict[str, JSON], plan: Plan, tmp_path: Path) -> dict[str, JSON]:
    """Run validate.py on the plan; assert it is valid; return its summary line."""
    p, q = tmp_path / "problem.json", tmp_path / "plan.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    q.write_text(json.dumps(plan_to_json(plan)), encoding="utf-8")
    run = subprocess.run(  # noqa: S603 - our own checker, fixed arguments
        [sys.executable, str(VALIDATE), str(p), str(q)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    assert isinstance(summary, dict)
    return summary


def plan_and_check(
    doc: dict[str, JSON], tmp_path: Path, iterations: int = 200
) -> tuple[Plan, dict[str, JSON]]:
    plan = solve(parse_problem(doc), max_iterations=iterations, seed=1)
    return plan, check(doc, plan, tmp_path)


def route_of(plan: Plan, sid: str) -> list[tuple[str, float]]:
    for r in plan.routes:
        if r.staff == sid:
            return [(s.visit, s.start) for s in r.stops]
    return []
