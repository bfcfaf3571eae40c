"""An OT writes the person's rehab plan through the real UI and prints it."""

import datetime
import re

from playwright.sync_api import expect

from tests.browser.conftest import LogIn, sv
from tests.factories import PASSWORD, active_episode
from trygghem.core.time import local_today
from trygghem.rehab.models import KvaEvent, PlanAction
from trygghem.staff.models import Staff


def exactly(label: str) -> re.Pattern[str]:
    """A label that is this text alone (a required field's label ends with an asterisk)."""
    return re.compile(rf"^{re.escape(label)}( \*)?$")


def test_an_ot_writes_a_plan_with_a_main_goal_and_a_training_action_and_prints_it(
    log_in: LogIn, reference_data: None, case_officer: Staff, ot: Staff
) -> None:
    episode = active_episode(by=case_officer)
    target_on = (local_today() + datetime.timedelta(days=5)).isoformat()
    page = log_in(ot.user.username, PASSWORD)
    page.goto(f"/episodes/{episode.external_id}/")

    # The rehab section is loaded into the episode page with htmx.
    page.get_by_role("link", name=sv("Write rehab plan")).click()
    page.get_by_label(sv("Impairments (body functions)")).fill("Nedsatt balans.")
    page.get_by_label(sv("Activity limitations and participation restrictions")).fill(
        "Klarar inte att duscha själv."
    )
    page.get_by_role("button", name=sv("Write rehab plan")).click()
    expect(page.get_by_role("status")).to_contain_text(
        sv("The rehab plan is made. Add the person's goals.")
    )

    page.get_by_role("link", name=sv("Add goal")).click()
    page.get_by_label(sv("The goal in the person's own words")).fill("Jag vill duscha själv.")
    page.get_by_label(exactly(sv("Activity"))).fill("Duscha")
    page.get_by_label(sv("ICF code")).fill("d510")
    page.get_by_label(exactly(sv("Target"))).fill("Duschar själv med duschpall.")
    page.get_by_label(sv("Target date")).fill(target_on)
    page.get_by_role("button", name=sv("Add goal")).click()
    expect(page.get_by_role("status")).to_contain_text(sv("The goal is added."))

    page.get_by_role("link", name=sv("Add action")).click()
    page.get_by_label(exactly(sv("Goal"))).select_option(label="Jag vill duscha själv.")
    page.get_by_label(exactly(sv("What"))).fill("Balansträning")
    page.get_by_label(exactly(sv("Who"))).select_option(value="pt")
    page.get_by_label(sv("Times per week")).fill("3")
    page.get_by_label(sv("Until")).fill(target_on)
    page.get_by_label(sv("Prescribed training: schedule it in the shared plan")).check()
    page.get_by_label(sv("Time window from")).fill("09:00")
    page.get_by_label(sv("Time window to")).fill("11:00")
    page.get_by_label(sv("Duration (minutes)")).fill("30")
    page.get_by_label(sv("May be carried out by")).select_option(value="rehab_assistant")
    page.get_by_role("button", name=sv("Add action")).click()
    expect(page.get_by_role("status")).to_contain_text(sv("The action is added."))
    expect(page.get_by_role("cell", name="Balansträning")).to_be_visible()

    action = PlanAction.objects.get()
    assert (action.is_training, action.performed_by, action.goal.icf_code) == (
        True,
        "rehab_assistant",
        "d510",
    )
    assert list(KvaEvent.objects.values_list("code", flat=True)) == ["AW020"]

    print_finnish = sv("Print the person's plan (%(name)s)") % {"name": "Suomi"}
    link = page.get_by_role("link", name=print_finnish)
    response = page.request.get(link.get_attribute("href") or "")
    assert (response.status, response.headers["content-type"]) == (200, "application/pdf")
    assert response.body().startswith(b"%PDF-")
