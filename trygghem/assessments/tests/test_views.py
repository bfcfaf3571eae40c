import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.assertions import read_log
from tests.factories import active_episode
from trygghem.assessments.models import Assessment, Instrument
from trygghem.assessments.services import record_assessment
from trygghem.episodes.models import Episode
from trygghem.staff.models import Staff

pytestmark = pytest.mark.django_db

STAIRCASE = ["cleaning", "shopping", "transport", "cooking", "bathing", "dressing", "toileting",
             "transferring", "continence", "feeding"]  # fmt: skip


@pytest.fixture
def client() -> Client:
    """Pages in English, so assertions read the msgids whatever the Swedish catalogue holds."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def episode(case_officer: Staff, today: datetime.date) -> Episode:
    return active_episode(by=case_officer)


def _record_url(episode: Episode, instrument: str = "", occasion: str = "baseline") -> str:
    url = reverse("record_assessment", args=[episode.external_id])
    return f"{url}?instrument={instrument}&occasion={occasion}" if instrument else url


def _record(episode: Episode, by: Staff, code: str, occasion: str, **answers: Any) -> Assessment:
    return record_assessment(
        episode=episode,
        instrument=Instrument.objects.get(code=code),
        occasion=occasion,
        assessed_on=datetime.date(2026, 3, 6 if occasion == "baseline" else 10),
        answers=answers,
        by=by,
    )


def test_record_assessment_first_asks_for_the_instrument_and_the_occasion(
    client: Client, episode: Episode, ot: Staff
) -> None:
    client.force_login(ot.user)

    response = client.get(_record_url(episode) + "?occasion=end")

    assert response.status_code == 200
    assert response.context["form"] is None
    chooser = response.context["chooser"]
    assert [label for _code, label in chooser.fields["instrument"].choices] == [
        "---------",
        "ADL staircase (Katz extended with I-ADL)",
        "COPM",
        "Katz ADL index",
        "Perceived safety (VAS)",
        "SPPB (Short Physical Performance Battery)",
    ]
    assert chooser["occasion"].value() == "end"
    assert read_log() == [(ot.pk, episode.person_id, "assessment.record", "care")]


def test_record_assessment_shows_the_items_of_the_chosen_instrument(
    client: Client, episode: Episode, ot: Staff
) -> None:
    client.force_login(ot.user)

    response = client.get(_record_url(episode, "adl_staircase"))

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields) == ["occasion", "assessed_on", *STAIRCASE]
    assert "Independent with difficulty" in response.text
    assert form["assessed_on"].value() == datetime.date(2026, 3, 10)


def test_an_unknown_instrument_is_a_400_on_the_chooser(
    client: Client, episode: Episode, ot: Staff
) -> None:
    client.force_login(ot.user)

    response = client.get(_record_url(episode, "barthel"))

    assert response.status_code == 400
    assert "instrument" in response.context["chooser"].errors


def test_record_assessment_saves_and_shows_the_computed_scores(
    client: Client, episode: Episode, ot: Staff
) -> None:
    client.force_login(ot.user)
    data = dict.fromkeys(STAIRCASE, "0") | {"cleaning": "3", "shopping": "2", "transport": "1"}

    response = client.post(
        _record_url(episode, "adl_staircase"),
        data | {"occasion": "baseline", "assessed_on": "2026-03-07"},
        follow=True,
    )

    assessment = Assessment.objects.get()
    assert response.redirect_chain == [
        (reverse("assessment_detail", args=[assessment.external_id]), 302)
    ]
    assert assessment.scores["step"] == 2
    rows = [(row.label, row.value) for row in response.context["scores"]]
    assert rows == [
        ("Staircase step (0-10)", "2"),
        ("Katz grade", "A"),
        ("Dependent in", "Cleaning, Shopping"),
        ("Activities with dependence", "2"),
        ("P-ADL activities with dependence (0-6)", "0"),
        ("I-ADL activities with dependence (0-4)", "2"),
        ("Sum score (0-30)", "6"),
    ]
    assert "The assessment is recorded." in response.text
    assert ("Transport", "1 – Independent with difficulty") in [
        (row.label, row.value) for row in response.context["answers"]
    ]


def test_a_refused_assessment_is_a_400_with_the_message_on_the_item(
    client: Client, episode: Episode, ot: Staff
) -> None:
    client.force_login(ot.user)

    response = client.post(
        _record_url(episode, "safety_vas"),
        {"occasion": "baseline", "assessed_on": "2026-03-07", "safety": "140"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "safety": ["“How safe do you feel at home?” must be between 0 and 100."]
    }
    assert Assessment.objects.count() == 0


def test_sppb_unable_is_a_tick_box(client: Client, episode: Episode, pt: Staff) -> None:
    client.force_login(pt.user)
    data = {"occasion": "baseline", "assessed_on": "2026-03-07", "side_by_side": "10",
            "semi_tandem": "8", "gait_4m": "7.5", "chair_stands__unable": "on"}  # fmt: skip

    page = client.get(_record_url(episode, "sppb"))
    response = client.post(_record_url(episode, "sppb"), data)

    assert '<label for="id_chair_stands__unable">Five chair stands, seconds: unable to do it' in (
        page.text
    )

    assert response.status_code == 302
    assert Assessment.objects.get().scores == {
        "balance": 1,
        "gait": 2,
        "chair_stands": 0,
        "total": 3,
    }


def test_copm_items_are_grouped_per_problem(client: Client, episode: Episode, ot: Staff) -> None:
    client.force_login(ot.user)

    response = client.get(_record_url(episode, "copm"))

    groups = response.context["form"].groups()
    assert [legend for legend, _fields in groups] == [f"Problem {n}" for n in range(1, 6)]
    assert [field.label for field in groups[0][1]] == [
        "Problem 1",
        "Importance of problem 1",
        "Performance of problem 1",
        "Satisfaction with problem 1",
    ]


def test_a_post_without_an_instrument_is_a_400(client: Client, episode: Episode, ot: Staff) -> None:
    client.force_login(ot.user)

    assert client.post(_record_url(episode), {}).status_code == 400


def test_the_section_shows_each_instrument_across_occasions_with_the_change(
    client: Client, episode: Episode, ot: Staff
) -> None:
    _record(episode, ot, "safety_vas", "baseline", safety=40)
    _record(episode, ot, "safety_vas", "end", safety=75)
    copm_baseline = {"problem_1": "Duscha själv", "importance_1": 9, "performance_1": 3,
                     "satisfaction_1": 2}  # fmt: skip
    _record(episode, ot, "copm", "baseline", **copm_baseline)
    _record(episode, ot, "copm", "end", **copm_baseline | {"performance_1": 6, "satisfaction_1": 3})
    client.force_login(ot.user)

    url = reverse("episode_assessments", args=[episode.external_id])

    response = client.get(url)

    assert response.status_code == 200
    trajectories = response.context["trajectories"]
    assert [t.name for t in trajectories] == ["COPM", "Perceived safety (VAS)"]
    copm, safety = trajectories
    assert [(c.label, c.baseline, c.latest, c.change, c.direction, c.clinically_important)
            for c in copm.changes] == [
        ("Performance", "3.0", "6.0", "+3.0", "better", True),
        ("Satisfaction", "2.0", "3.0", "+1.0", "better", False),
    ]  # fmt: skip
    assert [row.values for row in safety.rows] == [["40"], ["75"]]
    assert [(p.occasion, p.value, p.y) for p in safety.series[0].points] == [
        ("Baseline", 40.0, 90.4),
        ("End", 75.0, 47.0),
    ]
    assert "clinically important change" in response.text
    assert "<svg" in response.text
    assert 'points="44.0,90.4 344.0,47.0"' in response.text
    assert read_log() == [(ot.pk, episode.person_id, "assessment.section", "care")]


def test_an_htmx_request_gets_only_the_section(client: Client, episode: Episode, ot: Staff) -> None:
    _record(episode, ot, "safety_vas", "baseline", safety=40)
    client.force_login(ot.user)

    response = client.get(
        reverse("episode_assessments", args=[episode.external_id]), headers={"hx-request": "true"}
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="assessment-section"')
    assert "Perceived safety (VAS)" in response.text
    assert read_log() == [(ot.pk, episode.person_id, "assessment.section", "care")]


def test_the_section_without_htmx_is_a_page_of_its_own(
    client: Client, episode: Episode, nurse: Staff
) -> None:
    client.force_login(nurse.user)

    response = client.get(reverse("episode_assessments", args=[episode.external_id]))

    assert response.status_code == 200
    assert response.text.lstrip().startswith("<!DOCTYPE")
    assert "No assessments recorded yet." in response.text
    assert "Record assessment" not in response.text


def test_the_episode_page_loads_the_section_with_htmx(
    client: Client, episode: Episode, ot: Staff
) -> None:
    client.force_login(ot.user)

    response = client.get(reverse("episode_detail", args=[episode.external_id]))

    url = reverse("episode_assessments", args=[episode.external_id])
    assert f'hx-get="{url}"' in response.text


def test_the_worklist_shows_the_ot_the_baselines_due(
    client: Client, episode: Episode, ot: Staff
) -> None:
    client.force_login(ot.user)

    response = client.get(reverse("home"))

    due = response.context["due_assessments"]
    assert [(d.episode, d.occasion, d.due_on) for d in due] == [
        (episode, "baseline", datetime.date(2026, 3, 6))
    ]
    assert "Assessments due" in response.text
    assert f"{_record_url(episode)}?occasion=baseline" in response.text


def test_the_worklist_shows_the_end_assessment_when_the_decision_ends_soon(
    client: Client, case_officer: Staff, pt: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer, start_on=datetime.date(2026, 2, 28))
    _record(episode, pt, "safety_vas", "baseline", safety=40)
    client.force_login(pt.user)

    response = client.get(reverse("home"))

    assert [(d.occasion, d.due_on) for d in response.context["due_assessments"]] == [
        ("end", datetime.date(2026, 3, 13))
    ]
