"""Start times for fixed visit sequences, and the hard rules of format.md checked on them.

Given the order of visits and breaks on each route, the earliest start times are the longest
paths of a simple temporal network: route order (end + travel), windows, shifts, breaks (taken
where the staff member is, before driving on, so the drive stays in one piece), double-staffed
copies (one shared start variable) and `sync` gaps. A positive cycle, or a bound pushed past
the origin, means the sequences cannot be timed; the visits on it are reported so the caller
can take one out. Client non-overlap is disjunctive: it is fixed by adding an order between
the two visits and timing again.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from planner.model import Problem, Visit
from planner.travel import MEMO_LIMIT, TravelTimes

# A route item: a visit id, or the index of one of the staff member's breaks.
Item = str | int
EPS = 1e-6


@dataclass
class Timing:
    starts: dict[str, float]
    breaks: dict[str, list[float]]

    def copy(self) -> Timing:
        return Timing(dict(self.starts), {s: list(b) for s, b in self.breaks.items()})


@dataclass
class Conflict:
    visits: list[str]


@dataclass
class _Network:
    names: list[str] = field(default_factory=lambda: ["origin"])
    lower: list[float] = field(default_factory=lambda: [0.0])
    upper: list[float] = field(default_factory=lambda: [0.0])
    edges: list[list[tuple[int, float]]] = field(default_factory=lambda: [[]])

    def node(self, name: str, lower: float, upper: float) -> int:
        self.names.append(name)
        self.lower.append(lower)
        self.upper.append(upper)
        self.edges.append([])
        return len(self.names) - 1

    def at_least(self, before: int, after: int, gap: float) -> None:
        """x[after] >= x[before] + gap."""
        self.edges[before].append((after, gap))


def _longest_paths(net: _Network) -> tuple[list[float], list[int]]:
    """Earliest times, or (if the network cannot be timed) the nodes of a blocking chain."""
    n = len(net.names)
    dist = list(net.lower)
    pred = [-1] * n
    count = [0] * n
    queue = deque(range(1, n))
    queued = [False] + [True] * (n - 1)
    while queue:
        u = queue.popleft()
        queued[u] = False
        du = dist[u]
        if du > net.upper[u] + EPS:
            return dist, _chain(pred, u)
        for v, w in net.edges[u]:
            if du + w > dist[v] + EPS:
                dist[v] = du + w
                pred[v] = u
                if dist[v] > net.upper[v] + EPS:
                    return dist, _chain(pred, v)
                if not queued[v]:
                    count[v] += 1
                    if count[v] > n:
                        return dist, _chain(pred, v)
                    queued[v] = True
                    queue.append(v)
    return dist, []


def _chain(pred: list[int], node: int) -> list[int]:
    seen: list[int] = []
    while node > 0 and node not in seen:
        seen.append(node)
        node = pred[node]
    return seen


def time_routes(
    problem: Problem,
    travel: TravelTimes,
    routes: Mapping[str, Sequence[Item]],
    *,
    outside: Mapping[str, float] | None = None,
    orders: Sequence[tuple[str, str]] = (),
    split: frozenset[str] = frozenset(),
) -> Timing | Conflict:
    """Earliest start times of `routes` (staff id -> items), or the visits that block them.

    `outside` holds the start times on routes not timed here: a visit that is also there (the
    other copy of a double-staffed visit) is pinned to it, and sync gaps to visits there hold.
    `orders` are pairs (a, b): b starts no earlier than a ends. Visits in `split` are timed
    as if each copy were a visit of its own, without their sync gaps (to join them one by one).
    A break is taken after the drive to the next place (waiting there for the break window),
    or, if that cannot be timed, before it.
    """
    first = _time_routes(problem, travel, routes, outside, orders, split, before=frozenset())
    if isinstance(first, Timing):
        return first
    # Some break must be taken before the drive: find the routes where that is so on their own.
    before = frozenset(
        staff_id
        for staff_id, items in routes.items()
        if _break_before_drive(problem, travel, staff_id, items)
    )
    if not before:
        return first
    second = _time_routes(problem, travel, routes, outside, orders, split, before=before)
    return second if isinstance(second, Timing) else first


def _break_before_drive(
    problem: Problem, travel: TravelTimes, staff_id: str, items: Sequence[Item]
) -> bool:
    """Whether this route, timed on its own (each copy of a double visit as a visit of its
    own), cannot take its breaks after the drives. Remembered per route in `travel.memo`: the
    insertions ask it again for every route an insertion that fails first touches."""
    key = ("break before drive", staff_id, tuple(items))
    known = travel.memo.get(key)
    if known is None:
        split = frozenset(i for i in items if isinstance(i, str))
        timing = _time_routes(
            problem, travel, {staff_id: items}, None, (), split, before=frozenset()
        )
        if len(travel.memo) >= MEMO_LIMIT:
            travel.memo.clear()
        known = travel.memo[key] = isinstance(timing, Conflict)
    return bool(known)


def _time_routes(
    problem: Problem,
    travel: TravelTimes,
    routes: Mapping[str, Sequence[Item]],
    outside: Mapping[str, float] | None,
    orders: Sequence[tuple[str, str]],
    split: frozenset[str],
    *,
    before: frozenset[str],
) -> Timing | Conflict:
    net = _Network()
    split_nodes: dict[str, list[int]] = defaultdict(list)
    visit_node: dict[str, int] = {}
    pinned = outside or {}

    def node_of(v: Visit, staff_id: str) -> int:
        if v.id in split:
            lo, hi = v.window
            node = net.node(v.id, lo, float("inf") if v.late else hi)
            split_nodes[v.id].append(node)
            return node
        if v.id not in visit_node:
            lo, hi = v.window
            if v.late:
                hi = float("inf")
            if v.id in pinned:
                lo = hi = pinned[v.id]
            visit_node[v.id] = net.node(v.id, lo, hi)
        return visit_node[v.id]

    visits = problem.visits_by_id
    rows = travel.rows
    break_nodes: dict[str, list[int]] = {}
    for staff_id, items in routes.items():
        if not any(isinstance(item, str) for item in items):
            continue
        staff = problem.staff_member(staff_id)
        shift_start, shift_end = staff.shift
        here = staff.start
        last: int | None = None
        last_duration = 0.0
        nodes: list[int] = [0] * len(staff.breaks)
        for pos, item in enumerate(items):
            if isinstance(item, str):
                visit = visits[item]
                node = node_of(visit, staff_id)
                drive = rows[here][visit.location]
                if last is None:
                    net.lower[node] = max(net.lower[node], shift_start + drive)
                else:
                    net.at_least(last, node, last_duration + drive)
                last, last_duration, here = node, visit.duration, visit.location
            else:
                brk = staff.breaks[item]
                lo, hi = brk.window
                node = net.node(
                    f"{staff_id} break {item}",
                    max(lo, shift_start),
                    min(hi, shift_end - brk.duration),
                )
                nodes[item] = node
                drive = 0.0
                if staff_id not in before:
                    there = next(
                        (problem.visit(i).location for i in items[pos + 1 :] if isinstance(i, str)),
                        staff.end,
                    )
                    drive, here = travel(here, there), there
                if last is None:
                    net.lower[node] = max(net.lower[node], shift_start + drive)
                else:
                    net.at_least(last, node, last_duration + drive)
                last, last_duration = node, brk.duration
        if last is None:  # pragma: no cover - a route with a visit has a last node
            continue
        home = travel(here, staff.end)
        net.upper[last] = min(net.upper[last], shift_end - last_duration - home)
        break_nodes[staff_id] = nodes
    for visit_id, node in visit_node.items():
        sync = problem.visit(visit_id).sync
        if sync is not None and sync.with_visit in visit_node:
            other = visit_node[sync.with_visit]
            net.at_least(other, node, sync.min_gap)
            net.at_least(node, other, -sync.max_gap)
        elif sync is not None and sync.with_visit in pinned:
            t = pinned[sync.with_visit]
            net.lower[node] = max(net.lower[node], t + sync.min_gap)
            net.upper[node] = min(net.upper[node], t + sync.max_gap)
        for partner in problem.partners[visit_id]:
            their = problem.visit(partner).sync
            if partner in visit_node or partner not in pinned or their is None:
                continue
            if their.with_visit == visit_id:
                # partner - this in [min, max]  =>  this in [t - max, t - min]
                t = pinned[partner]
                net.lower[node] = max(net.lower[node], t - their.max_gap)
                net.upper[node] = min(net.upper[node], t - their.min_gap)
    for a, b in orders:
        if a in visit_node and b in visit_node:
            net.at_least(visit_node[a], visit_node[b], problem.visit(a).duration)
    dist, chain = _longest_paths(net)
    if chain:
        names = [net.names[i] for i in chain]
        known = visit_node.keys() | split_nodes.keys()
        return Conflict(visits=[x for x in names if x in known] or list(known)[-1:])
    starts = {v: dist[n] for v, n in visit_node.items()}
    starts.update({v: max(dist[n] for n in nodes) for v, nodes in split_nodes.items()})
    return Timing(
        starts=starts,
        breaks={s: [dist[n] for n in nodes] for s, nodes in break_nodes.items()},
    )


def client_overlaps(
    problem: Problem, starts: Mapping[str, float], clients: set[str] | None = None
) -> list[tuple[str, str]]:
    """Pairs (earlier, later) of one client's visits that overlap and are not synced together
    (only of `clients`, if given)."""
    by_client: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    visits = problem.visits_by_id
    for visit_id, start in starts.items():
        v = visits[visit_id]
        if clients is None or v.client in clients:
            by_client[v.client].append((start, start + v.duration, visit_id))
    found: list[tuple[str, str]] = []
    for spans in by_client.values():
        spans.sort()
        for i, (_, end1, v1) in enumerate(spans):
            for start2, _, v2 in spans[i + 1 :]:
                if start2 >= end1 - EPS:
                    break
                if not synced(problem, v1, v2):
                    found.append((v1, v2))
    return found


def synced(problem: Problem, a: str, b: str) -> bool:
    sa, sb = problem.visit(a).sync, problem.visit(b).sync
    return (sa is not None and sa.with_visit == b) or (sb is not None and sb.with_visit == a)


def time_with_overlaps(
    problem: Problem,
    travel: TravelTimes,
    routes: Mapping[str, Sequence[Item]],
    *,
    outside: Mapping[str, float] | None = None,
    timed: Timing | None = None,
) -> Timing | Conflict:
    """`time_routes`, then order overlapping visits of one client and time again. `timed`:
    `time_routes` of these routes and `outside` already worked out, used as the first."""
    orders: list[tuple[str, str]] = []
    # Only the clients of the visits timed here can have a new overlap.
    clients = {
        problem.visit(i).client for items in routes.values() for i in items if isinstance(i, str)
    }
    for _ in range(50):
        if timed is not None and not orders:
            timing: Timing | Conflict = timed
        else:
            timing = time_routes(problem, travel, routes, outside=outside, orders=orders)
        if isinstance(timing, Conflict):
            return timing
        starts = dict(outside or {})
        starts.update(timing.starts)
        overlaps = [p for p in client_overlaps(problem, starts, clients) if p not in orders]
        if not overlaps:
            return timing
        for a, b in overlaps:
            if a in timing.starts and b in timing.starts:
                orders.append((a, b))
            else:
                # One side is on a route not timed here: the new one must move after it.
                moving = a if a in timing.starts else b
                return Conflict(visits=[moving])
    return Conflict(visits=[a for a, _ in orders[-1:]])
