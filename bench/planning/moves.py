"""How fast our moves run: milliseconds per try of `repair.reinsert_around`.

    .venv/bin/python bench/planning/moves.py [--tries 300] [--runs 3] [--instance bruksvik-300]

Plans the day on iterations (PyVRP's search stopped after 400 iterations, seed 3: the same
plan on every machine and checkout), then runs `--tries` moves from that plan with a fixed
seed, `--runs` times, and prints the milliseconds per try of each run and the cost the moves
end at. The cost is the same for two checkouts whose moves do the same; then only the speed
differs. In a plan from scratch the moves run on the clock, so faster moves are more moves.
The figures are in docs/benchmarks.md (session 14).
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import INSTANCES

from planner import parse_problem, solve
from planner.repair import make_valid, reinsert_around, score
from planner.travel import travel_times

solve_module = importlib.import_module("planner.solve")  # `planner.solve` is also the function


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--instance", default="bruksvik-300")
    args = parser.parse_args()
    path = INSTANCES / f"{args.instance}.json"
    problem = parse_problem(json.loads(path.read_text(encoding="utf-8")))
    travel = travel_times(problem)
    plan = solve(problem, max_iterations=400, seed=3)
    for run in range(args.runs):
        draft = solve_module._draft_from_plan(problem, plan)
        timing = make_valid(problem, travel, draft)
        before = score(problem, travel, draft, timing).objective
        started = time.perf_counter()
        kept = reinsert_around(problem, travel, draft, timing, random.Random(7), tries=args.tries)
        seconds = time.perf_counter() - started
        after = score(problem, travel, draft, timing).objective
        print(
            f"run {run + 1}: {seconds / args.tries * 1000:.2f} ms per try "
            f"({args.tries} tries in {seconds:.2f} s), {kept} kept, cost {before:.1f} -> {after:.1f}"
        )


if __name__ == "__main__":
    main()
