"""Benchmark: the planner against a coordinator-style greedy plan and plain PyVRP.

    .venv/bin/python bench/planning/run.py [--quick]

For each instance in bench/planning/instances: (a) the planner at 30 s and 60 s, (b) greedy
insertion, (c) plain PyVRP with only what it supports natively (windows, shifts, prizes; no
skills, breaks, double staffing, sync or preferences), checked by validate.py to show what it
breaks; a long planner run for the best objective found; a re-plan after one sick call; and,
where greedy leaves visits out, the planner on only the visits greedy placed, so that travel
is compared on the same visits.
Writes docs/benchmarks.md. Wall-clock limits: results move with machine load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyvrp
from pyvrp.stop import MaxRuntime

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from planner import greedy, parse_problem, plan_to_json, solve  # noqa: E402
from planner.model import JSON, Plan, Problem, Route, SolverInfo, Stop  # noqa: E402
from planner.travel import travel_times  # noqa: E402

VALIDATE = ROOT.parent / "shared" / "planning" / "validate.py"
INSTANCES = ROOT / "bench" / "planning" / "instances"
OUT = ROOT / "docs" / "benchmarks.md"
WORK = Path(tempfile.mkdtemp(prefix="planner-bench-"))


def validate(problem_path: Path, plan: Plan, tag: str) -> dict[str, JSON]:
    path = WORK / f"{problem_path.stem}-{tag}.json"
    path.write_text(json.dumps(plan_to_json(plan)), encoding="utf-8")
    run = subprocess.run(  # noqa: S603
        [sys.executable, str(VALIDATE), str(problem_path), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    summary["first_violations"] = run.stdout.strip().splitlines()[:3] if run.returncode else []
    return summary


def plain_pyvrp(problem: Problem, seconds: float) -> Plan:
    """PyVRP as it comes: every visit one client (one staff member), hard windows, shifts."""
    started = time.perf_counter()
    travel = travel_times(problem)
    scale = 100
    depots = sorted({s.start for s in problem.staff} | {s.end for s in problem.staff})
    loc_ids = depots + [v.location for v in problem.visits]
    idx = [travel.index[i] for i in loc_ids]
    base = travel.times[idx][:, idx]
    import numpy as np

    duration = np.ceil(base * scale - 1e-9).astype(np.int64)
    distance = np.rint(base * scale).astype(np.int64)
    clients = [
        pyvrp.Client(
            location=len(depots) + n,
            service_duration=round(v.duration * scale),
            tw_early=round(v.window[0] * scale),
            tw_late=round(v.window[1] * scale),
            prize=round(problem.weights.unassigned * scale),
            required=False,
        )
        for n, v in enumerate(problem.visits)
    ]
    types = [
        pyvrp.VehicleType(
            1,
            start_depot=depots.index(s.start),
            end_depot=depots.index(s.end),
            tw_early=round(s.shift[0] * scale),
            tw_late=round(s.shift[1] * scale),
            name=s.id,
        )
        for s in problem.staff
    ]
    data = pyvrp.ProblemData(
        [pyvrp.Location(0, 0)] * len(loc_ids),
        clients,
        [pyvrp.Depot(i) for i in range(len(depots))],
        types,
        [distance],
        [duration],
    )
    best = pyvrp.solve(data, stop=MaxRuntime(seconds), seed=1, collect_stats=False).best
    routes = []
    served = set()
    for route in best.routes():
        stops = []
        for a in route.schedule():
            if a.is_client():
                v = problem.visits[a.idx]
                served.add(v.id)
                stops.append(Stop(v.id, a.start_time / scale))
        routes.append(Route(problem.staff[route.vehicle_type()].id, tuple(stops)))
    return Plan(
        problem.name,
        tuple(routes),
        tuple(v.id for v in problem.visits if v.id not in served),
        SolverInfo("plain PyVRP", time.perf_counter() - started),
    )


def row(name: str, method: str, s: dict[str, JSON], seconds: float, best: float | None) -> str:
    obj = float(s["objective"])  # type: ignore[arg-type]
    gap = "" if best is None or not s["valid"] else f"{100 * (obj / best - 1):+.1f} %"
    return (
        f"| {name} | {method} | {obj:,.1f} | {gap} | {'yes' if s['valid'] else 'no'} "
        f"({s['violations']}) | {s['unassigned']} ({s['mandatory_unassigned']}) | "
        f"{float(s['travel']):,.1f} | {s['non_preferred']} | {s['staff_per_client_mean']} | "
        f"{seconds:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="short runs (smoke test)")
    parser.add_argument("--reference", type=float, default=300.0)
    parser.add_argument(
        "--only",
        help="only instances whose name contains this; runs only planner rows + re-plan, "
        "prints them and does not rewrite docs/benchmarks.md",
    )
    args = parser.parse_args()
    limits = (3.0, 6.0) if args.quick else (30.0, 60.0)
    reference = 20.0 if args.quick else args.reference
    lines = []
    notes = []
    for path in sorted(INSTANCES.glob("*.json")):
        if args.only is not None:
            if args.only in path.stem:
                only(path, limits)
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        problem = parse_problem(doc)
        results: list[tuple[str, dict[str, JSON], float]] = []
        plan = greedy(problem)
        results.append(
            ("(b) greedy insertion", validate(path, plan, "greedy"), plan.solver.seconds)
        )
        served = {st.visit for r in plan.routes for st in r.stops}
        if plan.unassigned:
            notes.extend(same_visits(path, doc, served, plan, limits[0]))
        plan = plain_pyvrp(problem, limits[0])
        results.append(
            (
                f"(c) plain PyVRP {limits[0]:.0f} s",
                validate(path, plan, "plain"),
                plan.solver.seconds,
            )
        )
        plans: dict[float, Plan] = {}
        for limit in limits:
            plan = solve(problem, time_limit=limit, seed=1)
            plans[limit] = plan
            results.append(
                (
                    f"(a) planner {limit:.0f} s",
                    validate(path, plan, f"p{limit:.0f}"),
                    plan.solver.seconds,
                )
            )
        if "300" in path.stem:
            plan = solve(problem, time_limit=reference, seed=2)
            results.append(
                (
                    f"reference planner {reference:.0f} s",
                    validate(path, plan, "reference"),
                    plan.solver.seconds,
                )
            )
            notes.extend(replan(path, doc, plans[limits[0]]))
        valid = [
            float(s["objective"])
            for _, s, _ in results  # type: ignore[arg-type]
            if s["valid"]
        ]
        best = min(valid) if valid else None
        for method, summary, seconds in results:
            line = row(path.stem, method, summary, seconds, best)
            print(line, flush=True)
            lines.append(line)
            if summary["first_violations"]:
                notes.append(
                    f"- {path.stem}, {method}: "
                    + "; ".join(str(x) for x in summary["first_violations"])
                )  # type: ignore[union-attr]
    if args.only is None:
        write(lines, notes, args.quick)


def only(path: Path, limits: tuple[float, float]) -> None:
    """Planner rows and the re-plan for one instance, printed only."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    problem = parse_problem(doc)
    first: Plan | None = None
    for limit in limits:
        plan = solve(problem, time_limit=limit, seed=1)
        first = first or plan
        s = validate(path, plan, f"p{limit:.0f}")
        print(row(path.stem, f"(a) planner {limit:.0f} s", s, plan.solver.seconds, None))
    if first is not None:
        print("\n".join(replan(path, doc, first)), flush=True)


def same_visits(
    path: Path, doc: dict[str, JSON], served: set[str], greedy_plan: Plan, limit: float
) -> list[str]:
    """Travel on equal terms: greedy insertion leaves visits out, so the planner plans the day
    made of only the visits greedy placed (greedy places a double visit or synced pair whole),
    and the two plans' travel is compared on the same visits."""
    visits = doc["visits"]
    if not isinstance(visits, list):  # pragma: no cover
        raise TypeError("visits")
    doc2 = dict(doc, visits=[v for v in visits if isinstance(v, dict) and v.get("id") in served])
    sub_path = WORK / f"{path.stem}-greedy-visits.json"
    sub_path.write_text(json.dumps(doc2), encoding="utf-8")
    plan = solve(parse_problem(doc2), time_limit=limit, seed=1)
    ours = validate(sub_path, plan, "greedy-visits")
    theirs = validate(sub_path, greedy_plan, "greedy-visits-greedy")
    mine, base = float(ours["travel"]), float(theirs["travel"])  # type: ignore[arg-type]
    return [
        f"- Travel on the same visits ({path.stem}, the {len(served)} visits greedy placed): "
        f"greedy {base:,.1f} min, planner {limit:.0f} s {mine:,.1f} min "
        f"({100 * (mine - base) / base:+.1f} %), planner valid {ours['valid']}, "
        f"unassigned {ours['unassigned']}; staff per client {theirs['staff_per_client_mean']} "
        f"(greedy) vs {ours['staff_per_client_mean']}."
    ]


def replan_without(
    path: Path, doc: dict[str, JSON], plan: Plan, sick: str, seconds: float = 10.0
) -> tuple[Plan, dict[str, JSON], float]:
    """`sick` calls in sick: the day re-planned from `plan` in `seconds` (the target's 10 s; the
    product gives a re-plan TRYGGHEM_PLAN_TIME_LIMIT, 20 s). Returns the re-plan, validate.py's
    summary of it and the share of the other staff's assignments kept (also used by
    replan.py)."""
    staff = doc["staff"]
    if not isinstance(staff, list):  # pragma: no cover
        raise TypeError("staff")
    doc2 = dict(doc, staff=[s for s in staff if isinstance(s, dict) and s.get("id") != sick])
    sick_path = WORK / f"{path.stem}-sick.json"
    sick_path.write_text(json.dumps(doc2), encoding="utf-8")
    again = solve(parse_problem(doc2), time_limit=seconds, seed=1, warm_start=plan)
    s = validate(sick_path, again, "replan")
    before = {(st.visit, r.staff) for r in plan.routes if r.staff != sick for st in r.stops}
    after = {(st.visit, r.staff) for r in again.routes for st in r.stops}
    return again, s, len(before & after) / max(1, len(before))


def replan(path: Path, doc: dict[str, JSON], plan: Plan) -> list[str]:
    """One day-shift care worker calls in sick: re-plan from the morning's plan in 10 s."""
    sick = max(plan.routes, key=lambda r: len(r.stops)).staff
    again, s, kept = replan_without(path, doc, plan, sick)
    moved = sum(len(r.stops) for r in plan.routes if r.staff == sick)
    return [
        f"- Re-plan after a sick call ({path.stem}, {sick} with {moved} visits off): "
        f"{again.solver.seconds:.1f} s, valid {s['valid']}, unassigned {s['unassigned']} "
        f"(mandatory {s['mandatory_unassigned']}), {100 * kept:.1f} % of the other staff's "
        f"assignments kept, objective {float(s['objective']):,.1f}."  # type: ignore[arg-type]
    ]


def write(lines: list[str], notes: list[str], quick: bool) -> None:
    load = os.getloadavg()
    stamp = time.strftime("%Y-%m-%d %H:%M")
    header = "| instance | method | objective | gap | valid | unassigned | travel min "
    header += "| non-preferred | staff per client | seconds |"
    text = (
        f"""# Planner benchmarks

Generated by `bench/planning/run.py`{" --quick" if quick else ""} on {stamp}
({platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average at the end
{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}). **Caveat:** the machine was shared with other
engineers running test suites while this ran; all limits are wall-clock, the planner runs
two searches in parallel (one process per core, PyVRP uses one core each), and the same
seed gave results a few per cent apart under different load. Instances:
`bench/planning/instances/` (`bench/planning/generate.py`, seed 1, Bruksvik-shaped days).

Objective and parts as `../shared/planning/validate.py` reports them (lower is better;
an unassigned visit costs 10,000). "gap" is against the best valid objective in the same
instance's rows. Valid: yes/no (number of violations). Unassigned: all (mandatory).

{header}
|---|---|---:|---:|---|---:|---:|---:|---:|---:|
"""
        + "\n".join(lines)
        + "\n\n## Notes\n"
        + "\n".join(notes)
        + "\n"
    )
    # Other benchmarks share docs/benchmarks.md: replace only the planner's part, keeping any
    # hand-written "Targets"/"What is missing" text that follows the generated notes.
    start, end = "<!-- planner-bench:start", "<!-- planner-bench:end -->"
    old = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    if start in old and end in old:
        head, rest = old.split(start, 1)
        body, tail = rest.split(end, 1)
        kept = body[body.index("\n## Targets") :] if "\n## Targets" in body else "\n"
        text = f"{head}{start} (bench/planning/run.py rewrites this part) -->\n{text}{kept}"
        text += f"{end}{tail}"
    else:
        text = f"{start} (bench/planning/run.py rewrites this part) -->\n{text}\n{end}\n{old}"
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
