"""Synthetic planning days shaped like the demo municipality Bruksvik (trygghem-problem/1).

    python bench/planning/generate.py            # writes bench/planning/instances/*.json

Homes lie within about 9 km of Bruksvik (lat 60.55, lon 16.28), most of them in the town; care
workers start and end at the office, on day (07:00-15:30) or evening (14:00-22:00) shifts with
a 30-minute break between rounds; at least half of each shift hold medication delegation.
About 10 % of visits are double-staffed (clients who need a lift), a few are synced pairs
(nurse with care worker, training after the medication round). Each client has a small set
of preferred staff from their area team.
Independent of the Django demo loader on purpose: it only needs the format.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from pathlib import Path

CENTRE = (60.55, 16.28)
OFFICE = (60.546, 16.283)
DAY, EVENING = (420, 930), (840, 1320)
SLOTS = [  # (name, window, durations, shift)
    ("morning", (420, 630), (20, 30, 30, 45), "day"),
    ("medication", (450, 570), (15,), "day"),
    ("lunch", (660, 780), (15, 20, 30), "day"),
    ("afternoon", (870, 990), (15, 20), "evening"),
    ("dinner", (990, 1110), (20, 30), "evening"),
    ("evening", (1140, 1290), (15, 20, 30), "evening"),
]
SIZES = {"bruksvik-060": (60, 6), "bruksvik-150": (150, 14), "bruksvik-300": (300, 28)}


def _point(rng: random.Random) -> tuple[float, float]:
    radius_km = rng.uniform(0, 2.0) if rng.random() < 0.6 else rng.uniform(2.0, 9.0)
    angle = rng.uniform(0, 2 * math.pi)
    lat = CENTRE[0] + radius_km * math.sin(angle) / 111.2
    lon = CENTRE[1] + radius_km * math.cos(angle) / (111.2 * math.cos(math.radians(CENTRE[0])))
    return round(lat, 5), round(lon, 5)


def generate(name: str, n_visits: int, n_staff: int, seed: int) -> dict[str, object]:
    rng = random.Random(f"{name}-{seed}")  # noqa: S311 - reproducible test data, not secrets
    n_day = round(n_staff * 0.55)
    staff = []
    for i in range(n_staff):
        day = i < n_day
        shift = DAY if day else EVENING
        # Breaks lie between the rounds (after lunch, between dinner and the evening round),
        # as a coordinator plans them; inside a round they made the lunch and dinner peaks
        # over-full (see docs/benchmarks.md).
        brk = (
            {"window": [720, 840], "duration": 30}
            if day
            else {"window": [1080, 1170], "duration": 30}
        )
        skills = ["medication"] if rng.random() < 0.5 else []
        staff.append(
            {
                "id": f"s{i + 1:02d}",
                "start": "office",
                "end": "office",
                "shift": list(shift),
                "skills": skills,
                "breaks": [brk],
            }
        )
    # A team has medication delegation on at least half of each shift (no extra random draws,
    # so the visits stay those of the earlier instances).
    for team in (staff[:n_day], staff[n_day:]):
        short = math.ceil(len(team) / 2) - sum(1 for s in team if s["skills"])
        for s in [s for s in team if not s["skills"]][: max(0, short)]:
            s["skills"] = ["medication"]
    day_ids = [s["id"] for s in staff[:n_day]]
    evening_ids = [s["id"] for s in staff[n_day:]]
    locations: list[dict[str, object]] = [{"id": "office", "lat": OFFICE[0], "lon": OFFICE[1]}]
    visits: list[dict[str, object]] = []
    client_no = 0
    while len(visits) < n_visits:
        client_no += 1
        client = f"p{client_no:03d}"
        lat, lon = _point(rng)
        home = f"home-{client}"
        locations.append({"id": home, "lat": lat, "lon": lon})
        lift = rng.random() < 0.13
        k = rng.choice([1, 2, 2, 3, 3, 4])
        slots = sorted(rng.sample(SLOTS, k), key=lambda s: s[1][0])
        if any(s[0] == "medication" for s in slots) and any(s[0] == "morning" for s in slots):
            slots = [s for s in slots if s[0] != "medication"]
        preferred = rng.sample(day_ids, min(2, len(day_ids))) + rng.sample(
            evening_ids, min(2, len(evening_ids))
        )
        own: list[dict[str, object]] = []
        for slot, window, durations, _ in slots:
            if len(visits) + len(own) >= n_visits:
                break
            v: dict[str, object] = {
                "id": f"v{len(visits) + len(own) + 1:03d}",
                "client": client,
                "location": home,
                "window": list(window),
                "duration": rng.choice(durations),
                "staff_count": 2 if lift and slot != "medication" else 1,
                "preferred_staff": preferred,
            }
            if slot == "medication" or (slot == "morning" and rng.random() < 0.3):
                v["skills"] = ["medication"]
            if slot == "morning" and "skills" not in v:
                v["late"] = True
            if slot == "afternoon" and rng.random() < 0.3:
                v["optional"] = True
            own.append(v)
        # A training visit 30-60 minutes after the morning help, by someone else.
        morning = next((v for v in own if v["window"] == [420, 630]), None)
        if (
            morning is not None
            and not lift
            and rng.random() < 0.12
            and len(visits) + len(own) < n_visits
        ):
            own.append(
                {
                    "id": f"v{len(visits) + len(own) + 1:03d}",
                    "client": client,
                    "location": home,
                    "window": [465, 690],
                    "duration": 30,
                    "preferred_staff": preferred,
                    "sync": {
                        "with": morning["id"],
                        "min_gap": 45,
                        "max_gap": 90,
                        "distinct_staff": True,
                    },
                }
            )
        visits.extend(own)
    return {
        "format": "trygghem-problem/1",
        "name": f"{name} seed {seed}",
        "travel": {"kind": "haversine", "speed_kmh": 40, "detour": 1.3},
        "locations": locations,
        "staff": staff,
        "visits": visits,
        "weights": {
            "travel": 1,
            "tardiness": 1,
            "max_tardiness": 0,
            "non_preferred": 10,
            "unassigned": 10000,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "instances")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (n_visits, n_staff) in SIZES.items():
        problem = generate(name, n_visits, n_staff, args.seed)
        path = args.out / f"{name}.json"
        path.write_text(json.dumps(problem, indent=1) + "\n", encoding="utf-8")
        visits = problem["visits"]
        if not isinstance(visits, list):  # pragma: no cover
            raise TypeError("visits")
        double = sum(1 for v in visits if v.get("staff_count") == 2)
        print(f"{path}: {len(visits)} visits ({double} double-staffed), {n_staff} staff")


if __name__ == "__main__":
    main()
