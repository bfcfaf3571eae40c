"""Re-plans after a sick call, many of them: run.py's single re-plan says little.

    .venv/bin/python bench/planning/replan.py [--plans 4] [--sick 5] [--seconds 10]
        [--repeat 1] [--instance bruksvik-300]

Plans the day from scratch `--plans` times (30 s, seeds 1, 2, ...); for each plan the `--sick`
staff members with the most visits call in sick one at a time, and the day is re-planned
from that plan in `--seconds` (the target's 10 s; the product gives a re-plan 20 s), each
`--repeat` times: a re-plan stops on time, so the same re-plan run again may end elsewhere.
Each re-plan is checked by ../shared/planning/validate.py. Prints each re-plan, then how many
leave a mandatory visit out, the share of the other staff's assignments kept (mean and
lowest) and the slowest; with repeats, how many sick calls left a visit out in some runs and
not in others. The figures are in docs/benchmarks.md (sessions 11 to 13).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import INSTANCES, replan_without

from planner import parse_problem, solve


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=4)
    parser.add_argument("--sick", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--instance", default="bruksvik-300")
    args = parser.parse_args()
    path = INSTANCES / f"{args.instance}.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    problem = parse_problem(doc)
    found: list[tuple[bool, float, float]] = []
    outcomes: list[set[bool]] = []  # per sick call: complete in its runs
    for seed in range(1, args.plans + 1):
        plan = solve(problem, time_limit=30.0, seed=seed)
        for route in sorted(plan.routes, key=lambda r: (-len(r.stops), r.staff))[: args.sick]:
            seen: set[bool] = set()
            for run in range(1, args.repeat + 1):
                again, summary, kept = replan_without(path, doc, plan, route.staff, args.seconds)
                seconds = again.solver.seconds
                complete = summary["mandatory_unassigned"] == 0 and summary["valid"] is True
                found.append((complete, kept, seconds))
                seen.add(complete)
                left = "complete" if complete else "NOT complete: " + ", ".join(again.unassigned)
                print(
                    f"plan {seed}, {route.staff} ({len(route.stops)} visits) sick, run {run}:"
                    f" {left},"
                    f" {100 * kept:.1f} % kept, objective {summary['objective']:,.1f},"
                    f" {seconds:.1f} s",
                    flush=True,
                )
            outcomes.append(seen)
    out = sum(1 for r in found if not r[0])
    print(
        f"{out} of {len(found)} re-plans of {args.seconds:g} s leave a mandatory visit out;"
        f" kept {100 * statistics.mean(r[1] for r in found):.1f} % on average"
        f" (lowest {100 * min(r[1] for r in found):.1f} %);"
        f" slowest {max(r[2] for r in found):.1f} s"
    )
    if args.repeat > 1:
        print(
            f"of {len(outcomes)} sick calls, {sum(1 for s in outcomes if s == {False})} left a"
            f" visit out in every run, {sum(1 for s in outcomes if s == {True, False})} in some"
            f" runs only, {sum(1 for s in outcomes if s == {True})} in none"
        )


if __name__ == "__main__":
    main()
