"""An OT assesses a person at home through the real UI, in Swedish: ADL staircase, COPM and
perceived safety at baseline, and sees the computed scores on the episode page."""

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from tests.browser.conftest import LogIn, sv
from tests.factories import PASSWORD, active_episode
from trygghem.assessments.models import Assessment
from trygghem.staff.models import Staff

STAIRCASE = {
    "Cleaning": "Dependent",
    "Shopping": "Partly dependent",
    "Transport": "Independent with difficulty",
    "Cooking": "Independent with difficulty",
    "Bathing": "Independent with difficulty",
    "Dressing": "Independent without difficulty",
    "Going to the toilet": "Independent without difficulty",
    "Transferring": "Independent without difficulty",
    "Continence": "Independent without difficulty",
    "Feeding": "Independent without difficulty",
}


@pytest.fixture
def instruments(reference_data: None) -> None:
    """The instruments the data migration seeds; emptying the database removes them too."""
    importlib.import_module("trygghem.assessments.migrations.0002_instruments").forwards(apps, None)


def _choose(page: Page, episode_url: str, instrument: str) -> None:
    page.goto(episode_url)
    page.get_by_role("link", name=sv("Record assessment")).click()
    page.get_by_label(sv("Instrument")).select_option(label=sv(instrument))
    expect(page.get_by_label(sv("Occasion"))).to_have_value("baseline")
    page.get_by_role("button", name=sv("Continue")).click()
    expect(page.get_by_role("heading", name=sv(instrument))).to_be_visible()


def _save(page: Page) -> None:
    page.get_by_role("button", name=sv("Save assessment")).click()
    expect(page.get_by_role("status")).to_contain_text(sv("The assessment is recorded."))


def expect_score(page: Page, label: str, value: str) -> None:
    expect(page.get_by_role("row", name=f"{sv(label)} {value}", exact=True)).to_be_visible()


def test_an_ot_assesses_adl_copm_and_perceived_safety_at_baseline_and_sees_the_scores(
    page: Page, log_in: LogIn, instruments: None, case_officer: Staff, ot: Staff
) -> None:
    episode = active_episode(by=case_officer)
    episode_url = f"/episodes/{episode.external_id}/"
    log_in(ot.user.username, PASSWORD)

    _choose(page, episode_url, "ADL staircase (Katz extended with I-ADL)")
    for item, answer in STAIRCASE.items():
        group = page.get_by_role("group", name=sv(item), exact=True)
        group.get_by_label(sv(answer), exact=True).check()
    _save(page)
    expect_score(page, "Staircase step (0-10)", "2")
    expect_score(page, "I-ADL activities with dependence (0-4)", "2")
    expect_score(page, "Sum score (0-30)", "8")

    _choose(page, episode_url, "COPM")
    # A rating without its problem is refused with the reason, and nothing is saved.
    page.get_by_label(sv("Problem %(number)s") % {"number": 1}, exact=True).fill("Duscha själv")
    page.get_by_label(sv("Importance of problem %(number)s") % {"number": 1}).fill("9")
    page.get_by_label(sv("Performance of problem %(number)s") % {"number": 1}).fill("3")
    page.get_by_label(sv("Satisfaction with problem %(number)s") % {"number": 1}).fill("2")
    page.get_by_label(sv("Importance of problem %(number)s") % {"number": 2}).fill("8")
    page.get_by_role("button", name=sv("Save assessment")).click()
    expect(page.get_by_text(sv("Describe the problem before rating it."))).to_be_visible()
    assert Assessment.objects.filter(instrument_code="copm").count() == 0
    page.get_by_label(sv("Problem %(number)s") % {"number": 2}, exact=True).fill("Laga frukost")
    page.get_by_label(sv("Performance of problem %(number)s") % {"number": 2}).fill("4")
    page.get_by_label(sv("Satisfaction with problem %(number)s") % {"number": 2}).fill("5")
    _save(page)
    expect_score(page, "Performance", "3.5")
    expect_score(page, "Satisfaction", "3.5")

    _choose(page, episode_url, "Perceived safety (VAS)")
    page.get_by_label(sv("How safe do you feel at home?")).fill("45")
    _save(page)

    page.goto(episode_url)
    section = page.locator("#assessment-section")
    expect(section.get_by_role("heading", name=sv("Perceived safety (VAS)"))).to_be_visible()
    expect(section.get_by_role("img")).to_have_count(3)
    expect(section.get_by_role("cell", name="45", exact=True)).to_be_visible()
    assert sorted(Assessment.objects.values_list("instrument_code", "scores__step")) == [
        ("adl_staircase", 2),
        ("copm", None),
        ("safety_vas", None),
    ]
