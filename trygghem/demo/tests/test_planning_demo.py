"""The demo's shared plan: tomorrow's collision for the coordinator, delegations to renew."""

import datetime

import pytest

from trygghem.demo.tests.test_load_demo import TODAY, demo_output
from trygghem.people.access import people_visible_to
from trygghem.planning import selectors
from trygghem.planning.models import Delegation, Shift, Visit
from trygghem.staff.models import Staff, Team

__all__ = ["demo_output"]
TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.mark.django_db
def test_tomorrow_holds_one_collision_of_a_rehab_assistant_and_home_care(
    demo_output: str,
) -> None:
    conflicts = selectors.day_conflicts(day=TOMORROW)
    assert [str(c.kind) for c in conflicts] == ["client_overlap"]
    visits = list(Visit.objects.filter(external_id__in=conflicts[0].visits))
    roles = sorted(a.staff.role for v in visits for a in v.assignments.all())
    assert roles == ["care_worker", "rehab_assistant"]
    assert sorted(v.team.kind for v in visits) == ["home_care", "reablement"]
    coordinator = Staff.objects.get(user__username="samordnare")
    assert people_visible_to(coordinator).filter(pk=visits[0].person_id).exists()


@pytest.mark.django_db
def test_today_is_planned_without_conflicts_and_every_visit_has_its_staff(
    demo_output: str,
) -> None:
    visits = Visit.objects.filter(day=TODAY)
    assert visits.count() > 0
    assert visits.filter(planned_start_minute__isnull=True).count() == 0
    assert selectors.day_conflicts(day=TODAY) == []


@pytest.mark.django_db
def test_rehab_assistants_have_planning_rows_in_the_home_care_plan(demo_output: str) -> None:
    rows = Shift.objects.filter(day=TOMORROW, staff__role=Staff.Role.REHAB_ASSISTANT)
    assert {row.team.kind for row in rows} == {Team.Kind.HOME_CARE}
    assert rows.count() == 3


@pytest.mark.django_db
def test_some_delegations_expire_soon_and_one_has_expired(demo_output: str) -> None:
    assert len(selectors.expiring_delegations(today=TODAY)) == 3
    assert Delegation.objects.filter(valid_to__lt=TODAY).count() == 1
