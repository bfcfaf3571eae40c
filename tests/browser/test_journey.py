"""One person from referral to handover, in Swedish, through the real UI."""

import datetime
import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import LogIn, sv
from tests.factories import PASSWORD, next_identity_number
from trygghem.core.time import local_today
from trygghem.episodes.models import Episode
from trygghem.staff.models import Staff, Team


def expect_status(page: Page, status: str) -> None:
    """The episode page's heading names the program and the state the episode is in."""
    expect(page.get_by_role("heading", name=f"Trygg hemgång: {sv(status)}")).to_be_visible()


def _iso(day: datetime.date) -> str:
    return day.isoformat()


def _register_referral(page: Page, identity_number: str, today: datetime.date) -> None:
    page.get_by_role("link", name=sv("New referral")).first.click()
    expect(page.get_by_role("heading", name=sv("New referral"))).to_be_visible()
    page.get_by_label(sv("Personal identity number or coordination number")).fill(identity_number)
    page.get_by_label(sv("First name")).fill("Märta")
    page.get_by_label(sv("Last name")).fill("Åström")
    page.get_by_label(sv("Street address")).fill("Bruksgatan 4")
    page.get_by_label(sv("Home-care group")).select_option(label="Hemtjänst Norr")
    page.get_by_label(sv("Has a safety alarm")).check()
    page.get_by_label(sv("Relative's name")).fill("Olle Åström")
    page.get_by_label(sv("Source")).select_option(value="hospital")
    page.get_by_label(sv("Program")).select_option(value="trygg_hemgang")
    page.get_by_label(sv("Received")).fill(_iso(today - datetime.timedelta(days=3)))
    page.get_by_label(sv("Admitted to hospital")).fill(_iso(today - datetime.timedelta(days=9)))
    page.get_by_label(sv("Ready for discharge")).fill(_iso(today - datetime.timedelta(days=3)))
    page.get_by_label(sv("Planned homecoming")).fill(_iso(today - datetime.timedelta(days=2)))
    page.get_by_label(sv("Home-care hours per week before admission")).fill("2")
    page.get_by_label(sv("Yellow: need, low complexity")).check()
    page.get_by_label(sv("Partly")).check()
    page.get_by_role("button", name=sv("Register referral")).click()
    expect(page.get_by_role("status")).to_contain_text(sv("The referral is registered."))


def test_a_case_officer_takes_a_person_from_referral_to_handover_in_swedish(
    page: Page, log_in: LogIn, reference_data: None, case_officer: Staff, home_care_a: Team
) -> None:
    home_care_a.name = "Hemtjänst Norr"
    home_care_a.save()
    today = local_today()
    start = today - datetime.timedelta(days=2)
    log_in(case_officer.user.username, PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("link", name="Ny remiss").first).to_be_visible()

    _register_referral(page, next_identity_number(), today)
    expect(page.get_by_role("heading", name="Märta Åström")).to_be_visible()
    expect_status(page, "Referred")

    # A decision longer than Trygg hemgång allows is refused with its message.
    page.get_by_role("link", name=sv("Grant decision")).click()
    page.get_by_label(sv("Start")).fill(_iso(start))
    page.get_by_label(sv("End")).fill(_iso(start + datetime.timedelta(days=14)))
    page.get_by_label(sv("Follow-up")).fill(_iso(today))
    page.get_by_label(sv("Granted services")).fill("Stöd vid morgon- och kvällsrutiner.")
    page.get_by_role("button", name=sv("Grant decision")).click()
    too_long = sv("The decision is %(days)d days long; %(program)s allows at most %(max)d days.")
    message = too_long % {"days": 15, "program": "Trygg hemgång", "max": 14}
    expect(page.get_by_text(message)).to_be_visible()
    assert Episode.objects.get().status == Episode.Status.REFERRED

    page.get_by_label(sv("End")).fill(_iso(start + datetime.timedelta(days=13)))
    page.get_by_role("button", name=sv("Grant decision")).click()
    expect_status(page, "Decided")

    page.get_by_role("link", name=sv("Register homecoming")).click()
    page.get_by_label(sv("Came home")).fill(f"{_iso(start)}T10:30")
    page.get_by_role("button", name=sv("Register homecoming")).click()
    expect_status(page, "Active (at home)")

    page.get_by_role("link", name=sv("Record follow-up")).click()
    page.get_by_label(sv("Held on")).fill(_iso(today))
    page.get_by_label(sv("Digital meeting")).check()
    page.get_by_label(sv("The person"), exact=True).check()
    page.get_by_label(sv("Case officer"), exact=True).check()
    page.get_by_label(sv("Relative"), exact=True).check()
    page.get_by_label(sv("What the person manages now")).fill(
        "Klarar frukost och påklädning själv."
    )
    page.get_by_label(sv("End the episode")).check()
    page.get_by_role("button", name=sv("Record follow-up")).click()
    expect_status(page, "Follow-up held")

    page.get_by_role("link", name=sv("End with handover")).click()
    page.get_by_label(sv("Ended on")).fill(_iso(today))
    page.get_by_label(sv("Remaining needs")).fill("Hjälp med dusch en gång i veckan.")
    page.get_by_label(sv("Goals to maintain")).fill("Laga frukost själv varje dag.")
    page.get_by_label(re.compile(f"^{sv('Service')}\\b")).first.fill("Dusch")
    page.get_by_label(sv("How it is carried out")).first.fill(
        "Märta tvättar sig själv, personalen finns nära."
    )
    page.get_by_label(sv("When and how often")).first.fill("Fredagar förmiddag")
    page.get_by_role("button", name=sv("Save plan and end the episode")).click()
    expect_status(page, "Ended")

    pdf_link = page.get_by_role("link", name=sv("Print implementation plan (PDF)"))
    response = page.request.get(pdf_link.get_attribute("href") or "")
    assert (response.status, response.headers["content-type"]) == (200, "application/pdf")
    assert response.body().startswith(b"%PDF-")
    episode = Episode.objects.get()
    assert (episode.status, episode.end_reason.code if episode.end_reason else None) == (
        Episode.Status.ENDED,
        "handover",
    )
    assert re.search(r"/episodes/[0-9a-f-]{36}/$", page.url)
