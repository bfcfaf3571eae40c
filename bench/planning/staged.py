"""Experiment: two workers going on from the better plan after phase 1, or each from its own.

    .venv/bin/python bench/planning/staged.py SECONDS SEEDS [--instance bruksvik-300]

Paired on one phase 1: for each seed both workers run phase 1 and the insertion once (`_begin`,
as `solve` does), then both ways of going on run from those plans one after the other, in
alternating order, each with the time that was left after phase 1: "staged" (both improve the
better plan; the product since session 10) and "own" (each improves its own plan; two
independent searches, as before). Prints each seed's costs and the means; the figures are in
docs/benchmarks.md (session 10). SEEDS is a comma-separated list.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import INSTANCES

from planner import parse_problem

solve_module = importlib.import_module("planner.solve")  # `planner.solve` is also the function


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("seconds", type=float)
    parser.add_argument("seeds", help="comma-separated, e.g. 21,22,23")
    parser.add_argument("--instance", default="bruksvik-300")
    args = parser.parse_args()
    path = INSTANCES / f"{args.instance}.json"
    problem = parse_problem(json.loads(path.read_text(encoding="utf-8")))
    seeds = [int(s) for s in args.seeds.split(",")]
    context = multiprocessing.get_context("spawn")
    done = context.Event()
    share = solve_module._share
    pool = ProcessPoolExecutor(1, mp_context=context, initializer=share, initargs=(done,))
    pool.submit(time.sleep, 0.1).result()  # the helper started and imported the planner
    gather = solve_module._gather
    go_on = solve_module._go_on
    finals: dict[str, list[float]] = {"staged": [], "own": []}
    for i, seed in enumerate(seeds):
        done.clear()
        wall = time.time() + args.seconds
        work = [(problem, wall, None, seed + 1000 * k, None) for k in (0, 1)]
        here = functools.partial(solve_module._begin, done=done)
        begun = gather(pool, here, solve_module._begin_shared, work, None)
        left = wall - time.time()
        ends: dict[str, list[float]] = {}
        for way in ("staged", "own") if i % 2 == 0 else ("own", "staged"):
            chosen = min(begun, key=lambda r: r.cost)
            starts = [chosen, chosen] if way == "staged" else begun
            until = time.time() + left
            more = [(problem, starts[k], until, None, seed + 1000 * k) for k in (0, 1)]
            ends[way] = [r.cost for r in gather(pool, go_on, go_on, more, None)]
        for way, costs in ends.items():
            finals[way].append(min(costs))
        print(
            f"seed {seed}: after phase 1 {begun[0].cost:,.1f} / {begun[1].cost:,.1f} "
            f"({args.seconds - left:.1f} s); staged {min(ends['staged']):,.1f}, "
            f"own {min(ends['own']):,.1f}",
            flush=True,
        )
    pool.shutdown()
    staged, own = finals["staged"], finals["own"]
    better = sum(s < o for s, o in zip(staged, own, strict=True))
    worse = sum(s > o for s, o in zip(staged, own, strict=True))
    print(
        f"mean staged {sum(staged) / len(staged):,.1f}, own {sum(own) / len(own):,.1f}; "
        f"staged better on {better}, worse on {worse} of {len(seeds)} seeds"
    )


if __name__ == "__main__":
    main()
