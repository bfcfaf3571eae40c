"""Re-plans after a sick call, with and without the moves at the end of a re-plan.

    .venv/bin/python bench/planning/replan.py [--plans 4] [--sick 5] [--instance bruksvik-300]

Plans the day from scratch `--plans` times (30 s, seeds 1, 2, ...); for each plan the `--sick`
staff members with the most visits call in sick one at a time, and the day is re-planned
from that plan in 10 s, as the product does: once as before session 11 (PyVRP's rounds to
the end, no moves after them) and once with the moves (`solve._replan_moves`), one after the
other, in alternating order. Each re-plan is checked by ../shared/planning/validate.py.
Prints each re-plan and, per way, the re-plans that leave a mandatory visit out, the mean
share of the other staff's assignments kept, and the mean objective where both ways placed
every visit; the figures are in docs/benchmarks.md (session 11).
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import INSTANCES, WORK, validate

from planner import Plan, parse_problem, solve

solve_module = importlib.import_module("planner.solve")  # `planner.solve` is also the function
WITH_MOVES = solve_module._replan_moves
SHARE = solve_module.REPLAN_MOVES_SHARE


def _way(moves: bool) -> None:
    """The product's re-plan (`moves`), or the one before session 11."""
    solve_module.REPLAN_MOVES_SHARE = SHARE if moves else 0.0
    solve_module._replan_moves = (
        WITH_MOVES if moves else lambda problem, travel, best, *a, **k: best
    )


def _kept(plan: Plan, again: Plan, sick: str) -> float:
    before = {(st.visit, r.staff) for r in plan.routes if r.staff != sick for st in r.stops}
    after = {(st.visit, r.staff) for r in again.routes for st in r.stops}
    return len(before & after) / len(before)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=4)
    parser.add_argument("--sick", type=int, default=5)
    parser.add_argument("--instance", default="bruksvik-300")
    args = parser.parse_args()
    path = INSTANCES / f"{args.instance}.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    problem = parse_problem(doc)
    ways = {"before": False, "moves": True}
    found: dict[str, list[tuple[bool, float, float, float]]] = {w: [] for w in ways}
    n = 0
    for seed in range(1, args.plans + 1):
        _way(True)
        plan = solve(problem, time_limit=30.0, seed=seed)
        for route in sorted(plan.routes, key=lambda r: (-len(r.stops), r.staff))[: args.sick]:
            sick = route.staff
            doc2 = dict(doc, staff=[s for s in doc["staff"] if s["id"] != sick])
            sick_path = WORK / f"{path.stem}-sick.json"
            sick_path.write_text(json.dumps(doc2), encoding="utf-8")
            problem2 = parse_problem(doc2)
            order = list(ways) if n % 2 == 0 else list(reversed(ways))
            n += 1
            line = [f"plan {seed}, {sick} ({len(route.stops)} visits) sick:"]
            for way in order:
                _way(ways[way])
                started = time.perf_counter()
                again = solve(problem2, time_limit=10.0, seed=1, warm_start=plan)
                seconds = time.perf_counter() - started
                summary = validate(sick_path, again, f"replan-{way}")
                complete = summary["mandatory_unassigned"] == 0 and summary["valid"] is True
                kept = _kept(plan, again, sick)
                found[way].append((complete, kept, float(summary["objective"]), seconds))
                line.append(
                    f"{way}: {'complete' if complete else 'NOT complete'}, {100 * kept:.1f} % kept,"
                    f" objective {summary['objective']:,.1f}, {seconds:.1f} s;"
                )
            print(" ".join(line), flush=True)
    _way(True)
    # The objective is compared where both ways placed every visit (an unplaced one costs
    # 10,000 and would swamp the rest).
    both = [i for i in range(n) if all(found[w][i][0] for w in ways)]
    for way, rows in found.items():
        out = sum(1 for r in rows if not r[0])
        objective = statistics.mean(rows[i][2] for i in both) if both else float("nan")
        print(
            f"{way}: {out} of {len(rows)} leave a mandatory visit out;"
            f" kept {100 * statistics.mean(r[1] for r in rows):.1f} % on average"
            f" (lowest {100 * min(r[1] for r in rows):.1f} %);"
            f" objective {objective:,.1f} on the {len(both)} both ways complete;"
            f" slowest {max(r[3] for r in rows):.1f} s"
        )


if __name__ == "__main__":
    main()
