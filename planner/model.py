"""Problem and plan of the trygghem planning format, version 1 (../shared/planning/format.md).

Parsing checks types and references and raises `ProblemError` with the JSON path of the first
fault, so a coordinator's export that is wrong says where.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, TypeAlias

PROBLEM_FORMAT = "trygghem-problem/1"
PLAN_FORMAT = "trygghem-plan/1"

JSON: TypeAlias = dict[str, "JSON"] | list["JSON"] | str | int | float | bool | None


class ProblemError(ValueError):
    """The problem JSON does not follow trygghem-problem/1."""


@dataclass(frozen=True)
class Location:
    id: str
    x: float | None = None
    y: float | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Travel:
    kind: Literal["matrix", "euclidean", "haversine"]
    times: dict[str, dict[str, float]] = field(default_factory=dict)
    speed: float = 1.0
    speed_kmh: float = 30.0
    detour: float = 1.0


@dataclass(frozen=True)
class Break:
    window: tuple[float, float]
    duration: float


@dataclass(frozen=True)
class Staff:
    id: str
    start: str
    end: str
    shift: tuple[float, float]
    skills: frozenset[str] = frozenset()
    breaks: tuple[Break, ...] = ()
    capacity: float | None = None


@dataclass(frozen=True)
class Sync:
    with_visit: str
    min_gap: float = 0.0
    max_gap: float = 0.0
    distinct_staff: bool = False


@dataclass(frozen=True)
class Visit:
    id: str
    client: str
    location: str
    window: tuple[float, float]
    duration: float
    skills: frozenset[str] = frozenset()
    staff_count: int = 1
    preferred_staff: tuple[str, ...] = ()
    fixed_staff: str | None = None
    optional: bool = False
    late: bool = False
    sync: Sync | None = None
    load: float = 0.0


@dataclass(frozen=True)
class Weights:
    travel: float = 1.0
    tardiness: float = 0.0
    max_tardiness: float = 0.0
    non_preferred: float = 10.0
    unassigned: float = 10000.0


@dataclass(frozen=True)
class Problem:
    name: str
    travel: Travel
    locations: tuple[Location, ...]
    staff: tuple[Staff, ...]
    visits: tuple[Visit, ...]
    weights: Weights = Weights()

    def visit(self, visit_id: str) -> Visit:
        return self.visits_by_id[visit_id]

    def staff_member(self, staff_id: str) -> Staff:
        return self._staff[staff_id]

    @cached_property
    def partners(self) -> dict[str, list[str]]:
        """Visit id -> the visits linked to it by `sync`, in either direction."""
        linked: dict[str, list[str]] = {v.id: [] for v in self.visits}
        for v in self.visits:
            if v.sync is not None:
                linked[v.id].append(v.sync.with_visit)
                linked[v.sync.with_visit].append(v.id)
        return linked

    @cached_property
    def visits_by_id(self) -> dict[str, Visit]:
        """`visit` as a dict, for the insertions' inner loops (a lookup without a call)."""
        return {v.id: v for v in self.visits}

    @cached_property
    def _staff(self) -> dict[str, Staff]:
        return {s.id: s for s in self.staff}


@dataclass(frozen=True)
class Stop:
    visit: str
    start: float


@dataclass(frozen=True)
class Route:
    staff: str
    stops: tuple[Stop, ...]
    breaks: tuple[float, ...] = ()


@dataclass(frozen=True)
class SolverInfo:
    name: str
    seconds: float
    iterations: int = 0
    kept_share: float | None = None


@dataclass(frozen=True)
class Plan:
    problem: str
    routes: tuple[Route, ...]
    unassigned: tuple[str, ...]
    solver: SolverInfo


# --- parsing -------------------------------------------------------------------------------


def _obj(value: JSON, path: str) -> dict[str, JSON]:
    if not isinstance(value, dict):
        raise ProblemError(f"{path}: expected an object")
    return value


def _list(value: JSON, path: str) -> list[JSON]:
    if not isinstance(value, list):
        raise ProblemError(f"{path}: expected a list")
    return value


def _str(value: JSON, path: str) -> str:
    if not isinstance(value, str) or not value:
        raise ProblemError(f"{path}: expected a non-empty string")
    return value


def _num(value: JSON, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ProblemError(f"{path}: expected a finite number")
    return float(value)


def _bool(value: JSON, path: str) -> bool:
    if not isinstance(value, bool):
        raise ProblemError(f"{path}: expected true or false")
    return value


def _pair(value: JSON, path: str) -> tuple[float, float]:
    items = _list(value, path)
    if len(items) != 2:
        raise ProblemError(f"{path}: expected [earliest, latest]")
    lo, hi = _num(items[0], f"{path}[0]"), _num(items[1], f"{path}[1]")
    if hi < lo:
        raise ProblemError(f"{path}: latest {hi:g} is before earliest {lo:g}")
    return lo, hi


def _strings(value: JSON, path: str) -> list[str]:
    return [_str(item, f"{path}[{i}]") for i, item in enumerate(_list(value, path))]


def _opt_num(d: dict[str, JSON], key: str, path: str) -> float | None:
    return None if d.get(key) is None else _num(d[key], f"{path}.{key}")


def _location(value: JSON, path: str) -> Location:
    d = _obj(value, path)
    return Location(
        id=_str(d.get("id"), f"{path}.id"),
        x=_opt_num(d, "x", path),
        y=_opt_num(d, "y", path),
        lat=_opt_num(d, "lat", path),
        lon=_opt_num(d, "lon", path),
    )


def _travel(value: JSON, path: str) -> Travel:
    d = _obj(value, path)
    kind = d.get("kind")
    if kind == "matrix":
        rows = _obj(d.get("times"), f"{path}.times")
        times = {
            a: {
                b: _num(t, f"{path}.times.{a}.{b}")
                for b, t in _obj(row, f"{path}.times.{a}").items()
            }
            for a, row in rows.items()
        }
        return Travel(kind="matrix", times=times)
    if kind == "euclidean":
        return Travel(kind="euclidean", speed=_num(d.get("speed", 1), f"{path}.speed"))
    if kind == "haversine":
        return Travel(
            kind="haversine",
            speed_kmh=_num(d.get("speed_kmh"), f"{path}.speed_kmh"),
            detour=_num(d.get("detour", 1), f"{path}.detour"),
        )
    raise ProblemError(f"{path}.kind: expected matrix, euclidean or haversine, got {kind!r}")


def _staff(value: JSON, path: str) -> Staff:
    d = _obj(value, path)
    breaks = []
    for i, b in enumerate(_list(d.get("breaks", []), f"{path}.breaks")):
        bd = _obj(b, f"{path}.breaks[{i}]")
        duration = _num(bd.get("duration"), f"{path}.breaks[{i}].duration")
        breaks.append(
            Break(window=_pair(bd.get("window"), f"{path}.breaks[{i}].window"), duration=duration)
        )
    return Staff(
        id=_str(d.get("id"), f"{path}.id"),
        start=_str(d.get("start"), f"{path}.start"),
        end=_str(d.get("end"), f"{path}.end"),
        shift=_pair(d.get("shift"), f"{path}.shift"),
        skills=frozenset(_strings(d.get("skills", []), f"{path}.skills")),
        breaks=tuple(breaks),
        capacity=_opt_num(d, "capacity", path),
    )


def _visit(value: JSON, path: str) -> Visit:
    d = _obj(value, path)
    sync = None
    if d.get("sync") is not None:
        sd = _obj(d["sync"], f"{path}.sync")
        sync = Sync(
            with_visit=_str(sd.get("with"), f"{path}.sync.with"),
            min_gap=_num(sd.get("min_gap", 0), f"{path}.sync.min_gap"),
            max_gap=_num(sd.get("max_gap", 0), f"{path}.sync.max_gap"),
            distinct_staff=_bool(sd.get("distinct_staff", False), f"{path}.sync.distinct_staff"),
        )
        if sync.max_gap < sync.min_gap:
            raise ProblemError(f"{path}.sync: max_gap is below min_gap")
    count = _num(d.get("staff_count", 1), f"{path}.staff_count")
    if count not in (1, 2):
        raise ProblemError(f"{path}.staff_count: expected 1 or 2")
    duration = _num(d.get("duration"), f"{path}.duration")
    if duration < 0:
        raise ProblemError(f"{path}.duration: must not be negative")
    fixed = d.get("fixed_staff")
    return Visit(
        id=_str(d.get("id"), f"{path}.id"),
        client=_str(d.get("client"), f"{path}.client"),
        location=_str(d.get("location"), f"{path}.location"),
        window=_pair(d.get("window"), f"{path}.window"),
        duration=duration,
        skills=frozenset(_strings(d.get("skills", []), f"{path}.skills")),
        staff_count=int(count),
        preferred_staff=tuple(_strings(d.get("preferred_staff", []), f"{path}.preferred_staff")),
        fixed_staff=None if fixed is None else _str(fixed, f"{path}.fixed_staff"),
        optional=_bool(d.get("optional", False), f"{path}.optional"),
        late=_bool(d.get("late", False), f"{path}.late"),
        sync=sync,
        load=_num(d.get("load", 0), f"{path}.load"),
    )


def _weights(value: JSON, path: str) -> Weights:
    d = _obj(value, path)
    w = Weights()
    return Weights(
        travel=_num(d.get("travel", w.travel), f"{path}.travel"),
        tardiness=_num(d.get("tardiness", w.tardiness), f"{path}.tardiness"),
        max_tardiness=_num(d.get("max_tardiness", w.max_tardiness), f"{path}.max_tardiness"),
        non_preferred=_num(d.get("non_preferred", w.non_preferred), f"{path}.non_preferred"),
        unassigned=_num(d.get("unassigned", w.unassigned), f"{path}.unassigned"),
    )


def parse_problem(data: JSON) -> Problem:
    """Read a trygghem-problem/1 document; raise `ProblemError` naming the first fault."""
    d = _obj(data, "problem")
    if d.get("format", PROBLEM_FORMAT) != PROBLEM_FORMAT:
        raise ProblemError(f"format: expected {PROBLEM_FORMAT!r}, got {d.get('format')!r}")
    name = d.get("name", "")
    problem = Problem(
        name=name if isinstance(name, str) else "",
        travel=_travel(d.get("travel"), "travel"),
        locations=tuple(
            _location(x, f"locations[{i}]")
            for i, x in enumerate(_list(d.get("locations"), "locations"))
        ),
        staff=tuple(_staff(x, f"staff[{i}]") for i, x in enumerate(_list(d.get("staff"), "staff"))),
        visits=tuple(
            _visit(x, f"visits[{i}]") for i, x in enumerate(_list(d.get("visits"), "visits"))
        ),
        weights=_weights(d.get("weights", {}), "weights"),
    )
    _check_references(problem)
    return problem


def _check_references(problem: Problem) -> None:
    locations = {loc.id for loc in problem.locations}
    staff = {s.id for s in problem.staff}
    visits = {v.id for v in problem.visits}
    for what, ids in (
        ("location", [x.id for x in problem.locations]),
        ("staff", [s.id for s in problem.staff]),
        ("visit", [v.id for v in problem.visits]),
    ):
        if len(set(ids)) != len(ids):
            raise ProblemError(f"{what} ids are not unique")
    for s in problem.staff:
        for place in (s.start, s.end):
            if place not in locations:
                raise ProblemError(f"staff {s.id}: unknown location {place!r}")
    for v in problem.visits:
        if v.location not in locations:
            raise ProblemError(f"visit {v.id}: unknown location {v.location!r}")
        if v.fixed_staff is not None and v.fixed_staff not in staff:
            raise ProblemError(f"visit {v.id}: unknown fixed_staff {v.fixed_staff!r}")
        if v.sync is not None and (v.sync.with_visit not in visits or v.sync.with_visit == v.id):
            raise ProblemError(f"visit {v.id}: sync with unknown visit {v.sync.with_visit!r}")
    kind = problem.travel.kind
    for loc in problem.locations:
        if kind == "euclidean" and (loc.x is None or loc.y is None):
            raise ProblemError(f"location {loc.id}: euclidean travel needs x and y")
        if kind == "haversine" and (loc.lat is None or loc.lon is None):
            raise ProblemError(f"location {loc.id}: haversine travel needs lat and lon")


# --- plans ---------------------------------------------------------------------------------


def plan_to_json(plan: Plan) -> dict[str, JSON]:
    """The trygghem-plan/1 document of `plan`."""
    solver: dict[str, JSON] = {
        "name": plan.solver.name,
        "seconds": round(plan.solver.seconds, 3),
        "iterations": plan.solver.iterations,
    }
    if plan.solver.kept_share is not None:
        solver["kept_share"] = round(plan.solver.kept_share, 4)
    return {
        "format": PLAN_FORMAT,
        "problem": plan.problem,
        "routes": [
            {
                "staff": r.staff,
                "stops": [{"visit": s.visit, "start": s.start} for s in r.stops],
                "breaks": [{"start": b} for b in r.breaks],
            }
            for r in plan.routes
        ],
        "unassigned": list(plan.unassigned),
        "solver": solver,
    }


def parse_plan(data: JSON) -> Plan:
    """Read a trygghem-plan/1 document (used as a warm start for re-planning)."""
    d = _obj(data, "plan")
    routes = []
    for i, r in enumerate(_list(d.get("routes", []), "routes")):
        rd = _obj(r, f"routes[{i}]")
        stops = tuple(
            Stop(
                visit=_str(
                    _obj(s, f"routes[{i}].stops[{j}]").get("visit"), f"routes[{i}].stops[{j}]"
                ),
                start=_num(
                    _obj(s, f"routes[{i}].stops[{j}]").get("start"), f"routes[{i}].stops[{j}]"
                ),
            )
            for j, s in enumerate(_list(rd.get("stops", []), f"routes[{i}].stops"))
        )
        breaks = tuple(
            _num(_obj(b, f"routes[{i}].breaks[{j}]").get("start"), f"routes[{i}].breaks[{j}]")
            for j, b in enumerate(_list(rd.get("breaks", []), f"routes[{i}].breaks"))
        )
        routes.append(
            Route(staff=_str(rd.get("staff"), f"routes[{i}].staff"), stops=stops, breaks=breaks)
        )
    name = d.get("problem", "")
    return Plan(
        problem=name if isinstance(name, str) else "",
        routes=tuple(routes),
        unassigned=tuple(_strings(d.get("unassigned", []), "unassigned")),
        solver=SolverInfo(name="given", seconds=0.0),
    )
