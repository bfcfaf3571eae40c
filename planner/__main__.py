"""python -m planner PROBLEM.json -o PLAN.json [--time-limit S | --max-iterations N]."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from planner.greedy import greedy
from planner.model import ProblemError, parse_plan, parse_problem, plan_to_json
from planner.solve import solve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m planner", description=__doc__)
    parser.add_argument("problem", type=Path, help="trygghem-problem/1 JSON file")
    parser.add_argument("-o", "--output", type=Path, help="plan file (default: stdout)")
    parser.add_argument("--time-limit", type=float, help="seconds (default 10)")
    parser.add_argument("--max-iterations", type=int, help="stop after this many iterations")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--warm-start", type=Path, help="previous plan to keep where possible")
    parser.add_argument("--greedy", action="store_true", help="the greedy baseline only")
    args = parser.parse_args(argv)
    try:
        problem = parse_problem(json.loads(args.problem.read_text(encoding="utf-8")))
        warm = None
        if args.warm_start is not None:
            warm = parse_plan(json.loads(args.warm_start.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError, ProblemError) as e:
        print(f"cannot read input: {e}", file=sys.stderr)
        return 2
    if args.greedy:
        plan = greedy(problem)
    else:
        plan = solve(
            problem,
            time_limit=args.time_limit,
            max_iterations=args.max_iterations,
            seed=args.seed,
            warm_start=warm,
        )
    text = json.dumps(plan_to_json(plan), indent=1)
    if args.output is None:
        print(text)
    else:
        args.output.write_text(text + "\n", encoding="utf-8")
    missing = len(plan.unassigned)
    print(
        f"{len(plan.routes)} routes, {missing} unassigned, {plan.solver.seconds:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
