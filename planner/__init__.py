"""Home-care route planning: problem in, plan out (../shared/planning/format.md).

Pure Python on top of PyVRP; imports nothing from Django or trygghem.
"""

from planner.greedy import greedy
from planner.model import (
    Plan,
    Problem,
    ProblemError,
    parse_plan,
    parse_problem,
    plan_to_json,
)
from planner.solve import solve

__all__ = [
    "Plan",
    "Problem",
    "ProblemError",
    "greedy",
    "parse_plan",
    "parse_problem",
    "plan_to_json",
    "solve",
]
