"""The demo's rehab plans: goals in the person's words, training linked to the shared plan."""

import pytest

from trygghem.demo.tests.test_load_demo import TODAY, demo_output
from trygghem.episodes.models import Episode
from trygghem.planning.models import ServiceTemplate
from trygghem.rehab.models import AssistiveDevice, KvaEvent, PlanAction, RehabPlan

__all__ = ["demo_output"]
AT_HOME = [Episode.Status.ACTIVE, Episode.Status.FOLLOW_UP_HELD]


@pytest.mark.django_db
def test_everyone_at_home_and_most_finished_episodes_have_a_rehab_plan_with_its_kva_codes(
    demo_output: str,
) -> None:
    at_home = Episode.objects.filter(status__in=AT_HOME, home_at__isnull=False)
    finished = Episode.objects.filter(
        status=Episode.Status.ENDED, end_reason__code__in=["handover", "no_further_need"]
    )
    planned_finished = finished.filter(rehab_plan__isnull=False).count()
    assert at_home.filter(rehab_plan__isnull=True).count() == 0
    assert 0.75 <= planned_finished / finished.count() <= 0.95
    for plan in RehabPlan.objects.prefetch_related("goals", "actions", "kva_events")[:40]:
        goals = list(plan.goals.all())
        codes = [event.code for event in plan.kva_events.all()]
        assert [g.is_main for g in goals].count(True) == 1
        assert 1 <= len(goals) - 1 <= 2
        assert {g.icf_code for g in goals} <= {"d510", "d540", "d450", "d630", "d230"}
        assert 1 <= len(plan.actions.all()) <= 3
        assert [a.is_training for a in plan.actions.all()].count(True) == 1
        assert codes[0] == "AW020"
        assert (codes[-1] == "AW035") is (plan.closed_on is not None)


@pytest.mark.django_db
def test_the_training_of_the_people_at_home_is_linked_to_their_templates(
    demo_output: str,
) -> None:
    templates = ServiceTemplate.objects.filter(what="Träning enligt rehabplan")
    assert templates.filter(plan_action__isnull=True).count() == 0
    linked = templates.select_related("plan_action__goal").first()
    assert linked is not None and linked.plan_action is not None
    assert linked.goal_text == linked.plan_action.goal.own_words
    assert PlanAction.objects.filter(is_training=True).count() >= templates.count()


@pytest.mark.django_db
def test_about_40_percent_have_assistive_devices_and_some_follow_ups_are_due_today(
    demo_output: str,
) -> None:
    plans = RehabPlan.objects.count()
    with_devices = AssistiveDevice.objects.values("episode").distinct().count()
    assert 0.25 <= with_devices / plans <= 0.55
    assert AssistiveDevice.objects.filter(
        follow_up_due_on=TODAY, followed_up_on__isnull=True
    ).exists()
    assert KvaEvent.objects.filter(code="AW024").exists()
