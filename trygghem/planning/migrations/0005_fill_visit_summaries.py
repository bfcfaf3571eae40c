"""Fill the visit summaries from the visits already recorded. Plain SQL of the tables as they
are at this migration (the same sums as `services.rebuild_visit_summaries`), so that later
changes to the service cannot change what this migration did."""

from django.db import migrations

FILL = (
    """
    INSERT INTO planning_episodestaffwork (episode_id, staff_id, visits_done, minutes_done)
    SELECT v.episode_id, a.staff_id, COUNT(*),
           COALESCE(SUM(v.actual_end_minute - v.actual_start_minute), 0)
    FROM planning_visitassignment a JOIN planning_visit v ON v.id = a.visit_id
    WHERE v.status = 'done'
    GROUP BY v.episode_id, a.staff_id
    """,
    """
    INSERT INTO planning_episodevisitday (episode_id, day, visits, overridden)
    SELECT episode_id, day, COUNT(*), SUM(CASE WHEN override_reason <> '' THEN 1 ELSE 0 END)
    FROM planning_visit
    GROUP BY episode_id, day
    """,
)
EMPTY = ("DELETE FROM planning_episodestaffwork", "DELETE FROM planning_episodevisitday")


class Migration(migrations.Migration):
    dependencies = [("planning", "0004_visit_summaries")]
    operations = [migrations.RunSQL(FILL, EMPTY)]
