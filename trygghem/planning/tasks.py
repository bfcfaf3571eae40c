"""The background worker's task (Huey, `manage.py run_huey`): run the planner on a planning
run's problem and store its proposal. Logs carry the run's id only, never a person."""

import logging

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop
from huey.contrib.djhuey import db_task  # type: ignore[import-untyped]

from planner import parse_plan, parse_problem, plan_to_json, solve
from trygghem.planning.models import PlanningRun
from trygghem.planning.proposal import figures

logger = logging.getLogger(__name__)

SEARCHING = gettext_noop("The planner is searching for a plan.")
FINISHED = gettext_noop("The planner has finished.")
FAILED = gettext_noop("The planner could not plan this day.")


def run_planner(run_id: int) -> None:
    """Plan one run: queued -> running -> done (proposal and figures) or failed."""
    run = PlanningRun.objects.get(pk=run_id)
    if run.status != PlanningRun.Status.QUEUED:
        return
    run.status = PlanningRun.Status.RUNNING
    run.progress = SEARCHING
    run.started_at = timezone.now()
    run.save(update_fields=["status", "progress", "started_at"])
    logger.info("planning run %s started", run.external_id)
    try:
        problem = parse_problem(run.problem)
        warm_start = parse_plan(run.warm_start) if run.warm_start is not None else None
        max_iterations = getattr(settings, "TRYGGHEM_PLAN_MAX_ITERATIONS", None)
        plan = solve(
            problem,
            time_limit=None if max_iterations else settings.TRYGGHEM_PLAN_TIME_LIMIT,
            max_iterations=max_iterations,
            seed=0,
            warm_start=warm_start,
        )
        proposal = plan_to_json(plan)
        result = figures(run.problem, proposal)
    except Exception as error:
        run.status = PlanningRun.Status.FAILED
        run.progress = FAILED
        run.error = type(error).__name__
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "progress", "error", "finished_at"])
        logger.warning("planning run %s failed: %s", run.external_id, type(error).__name__)
        return
    run.proposal = proposal
    run.travel_minutes = result.travel_minutes
    run.unassigned_count = result.unassigned
    run.distinct_staff_mean = result.distinct_staff_mean
    run.objective = result.objective
    run.status = PlanningRun.Status.DONE
    run.progress = FINISHED
    run.finished_at = timezone.now()
    run.save()
    logger.info("planning run %s done", run.external_id)


@db_task()  # type: ignore[untyped-decorator]
def plan_the_day(run_id: int) -> None:
    run_planner(run_id)
