"""The shared plan in the browser: the coordinator resolves the collision of seed 002 in
tomorrow's plan, and a rehab assistant records a visit on a phone."""

import datetime
import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import LogIn, sv
from tests.factories import PASSWORD, StaffFactory, UserFactory, active_episode, person_details
from trygghem.core.time import local_today
from trygghem.episodes.models import Episode
from trygghem.planning import services
from trygghem.planning.models import Shift, Visit
from trygghem.staff.models import Staff, Team

# The start of the collision message, as the Swedish page shows it.
TWO_VISITS_AT_ONCE = sv(
    "The person gets two visits at once: %(first)s (%(first_team)s) and "
    "%(second)s (%(second_team)s)."
).split(":")[0]


def _shift(staff: Staff, team: Team, day: datetime.date, by: Staff) -> None:
    Shift.objects.create(
        staff=staff, team=team, day=day, start_minute=420, end_minute=960, created_by=by
    )


def _visit(episode: Episode, team: Team, day: datetime.date, what: str, window_end: int) -> Visit:
    return Visit.objects.create(
        episode=episode,
        person=episode.person,
        team=team,
        day=day,
        what=what,
        window_start_minute=600,
        window_end_minute=window_end,
        duration_minutes=45,
    )


def _assign(visit: Visit, staff: Staff, by: Staff) -> None:
    services.assign_visit(
        visit=visit, staff=[staff], planned_start_minute=600, override_reason="Första utkast",
        by=by,
    )  # fmt: skip


def test_the_coordinator_sees_and_resolves_tomorrows_collision(
    page: Page,
    log_in: LogIn,
    reference_data: None,
    case_officer: Staff,
    coordinator: Staff,
    rehab_assistant: Staff,
    reablement_team: Team,
    home_care_a: Team,
) -> None:
    tomorrow = local_today() + datetime.timedelta(days=1)
    home_care_worker = StaffFactory.create(
        user=UserFactory.create(first_name="Hanna", last_name="Hemtjänst"),
        role=Staff.Role.CARE_WORKER,
        teams=[home_care_a],
    )
    episode = active_episode(by=case_officer, person=person_details(home_care_team=home_care_a))
    _shift(rehab_assistant, home_care_a, tomorrow, coordinator)
    _shift(home_care_worker, home_care_a, tomorrow, coordinator)
    _assign(
        _visit(episode, reablement_team, tomorrow, "Träning", 660), rehab_assistant, coordinator
    )
    _assign(_visit(episode, home_care_a, tomorrow, "Städning", 720), home_care_worker, coordinator)

    log_in(coordinator.user.username, PASSWORD)
    page.get_by_role("link", name=sv("Day plan: %(team)s") % {"team": home_care_a.name}).click()
    page.get_by_role("link", name=sv("Next day")).click()
    conflicts = page.locator("#plan-conflicts")
    expect(conflicts).to_contain_text(TWO_VISITS_AT_ONCE)

    page.get_by_role("link", name=re.compile("Städning")).click()
    page.get_by_role("button", name=sv("Check conflicts")).click()
    expect(page.locator("#conflicts")).to_contain_text(TWO_VISITS_AT_ONCE)
    page.get_by_label(re.compile(f"^{sv('Start')}\\b")).fill("11:00")
    page.get_by_role("button", name=sv("Check conflicts")).click()
    expect(page.locator("#conflicts")).to_contain_text(sv("No conflicts."))
    page.get_by_role("button", name=sv("Save the plan")).click()

    expect(page.get_by_role("status")).to_contain_text(sv("The visit is planned."))
    expect(conflicts).to_contain_text(sv("No conflicts in this plan."))
    assert Visit.objects.get(what="Städning").planned_start_minute == 660


def test_a_rehab_assistant_records_a_visit_on_a_phone(
    page: Page,
    log_in: LogIn,
    reference_data: None,
    case_officer: Staff,
    coordinator: Staff,
    rehab_assistant: Staff,
    reablement_team: Team,
    home_care_a: Team,
) -> None:
    today = local_today()
    episode = active_episode(by=case_officer, person=person_details(home_care_team=home_care_a))
    _shift(rehab_assistant, home_care_a, today, coordinator)
    _assign(_visit(episode, reablement_team, today, "Träning", 660), rehab_assistant, coordinator)
    page.set_viewport_size({"width": 390, "height": 844})

    log_in(rehab_assistant.user.username, PASSWORD)
    page.get_by_role("link", name=sv("My day")).click()
    expect(page.get_by_text("Träning")).to_be_visible()
    page.get_by_role(
        "link", name=re.compile(sv("Record the visit to %(name)s") % {"name": ""})
    ).click()
    page.get_by_label(sv("Done"), exact=True).check()
    page.get_by_label(sv("Started")).fill("10:05")
    page.get_by_label(sv("Ended")).fill("10:50")
    page.get_by_label(sv("With support")).check()
    page.get_by_label(sv("Note")).fill("Gick själv till köket med rollatorn.")
    page.get_by_label(sv("Deterioration noticed: tell the nurse")).check()
    button = page.get_by_role("button", name=sv("Save the record"))
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    button.click()

    expect(page.get_by_role("status")).to_contain_text(sv("The visit is recorded."))
    visit = Visit.objects.get()
    assert (visit.status, visit.actual_text, visit.independence, visit.deterioration) == (
        "done",
        "10:05–10:50",
        "with_support",
        True,
    )
