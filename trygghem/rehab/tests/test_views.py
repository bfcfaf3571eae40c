"""The rehab pages, the person's printed plan in three languages, and the devices register. The
clock is frozen at 2026-03-10 10:00; the episodes are decided for 03-06..03-19."""

import base64
import datetime
import re
import zlib
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import active_episode
from trygghem.audit.models import AccessLog
from trygghem.episodes.models import Episode
from trygghem.rehab import pdf
from trygghem.rehab.models import AssistiveDevice, KvaEvent, PlanAction, RehabPlan
from trygghem.rehab.tests.helpers import delivered_device, main_goal, rehab_plan, training_action
from trygghem.staff.models import Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def episode(case_officer: Staff, today: datetime.date) -> Episode:
    return active_episode(by=case_officer)


@pytest.fixture
def plan(episode: Episode, ot: Staff) -> RehabPlan:
    plan = rehab_plan(episode=episode, by=ot)
    goal = main_goal(plan=plan, by=ot)
    training_action(plan=plan, goal=goal, by=ot)
    return plan


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _reads(what: str) -> int:
    return AccessLog.objects.filter(kind="read", what=what).count()


def test_the_rehab_section_offers_an_ot_to_write_the_plan(
    client: Client, ot: Staff, episode: Episode
) -> None:
    client.force_login(ot.user)
    response = client.get(reverse("rehab_section", args=[episode.external_id]))
    assert response.status_code == 200
    assert reverse("create_rehab_plan", args=[episode.external_id]) in response.content.decode()
    assert _reads("rehab.section") == 1


def test_the_episode_page_loads_the_rehab_section_with_htmx(
    client: Client, ot: Staff, episode: Episode
) -> None:
    client.force_login(ot.user)
    response = client.get(reverse("episode_detail", args=[episode.external_id]))
    assert f'hx-get="{reverse("rehab_section", args=[episode.external_id])}"' in (
        response.content.decode()
    )


def test_the_rehab_section_shows_a_nurse_the_plan_without_write_links(
    client: Client, nurse: Staff, plan: RehabPlan
) -> None:
    client.force_login(nurse.user)
    response = client.get(reverse("rehab_section", args=[plan.episode.external_id]))
    body = response.content.decode()
    assert "Jag vill kunna duscha själv." in body
    assert reverse("rehab_plan_pdf", args=[plan.external_id]) + "?lang=fi" in body
    assert reverse("register_device", args=[plan.episode.external_id]) not in body


def test_an_ot_writes_a_plan_with_factors(client: Client, ot: Staff, episode: Episode) -> None:
    client.force_login(ot.user)
    data = {
        "impairments": "Nedsatt balans.",
        "activity_limitations": "Kan inte duscha själv.",
        "next_review_on": "2026-03-14",
        "factors-TOTAL_FORMS": "3",
        "factors-INITIAL_FORMS": "0",
        "factors-0-kind": "environmental",
        "factors-0-text": "Trappa till entrén.",
        "factors-0-is_resource": "0",
        "factors-1-kind": "environmental",
        "factors-1-is_resource": "1",
        "factors-2-kind": "environmental",
        "factors-2-is_resource": "1",
    }
    response = client.post(reverse("create_rehab_plan", args=[episode.external_id]), data)
    plan = RehabPlan.objects.get()
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("rehab_plan_detail", args=[plan.external_id]),
    )
    assert list(plan.factors.values_list("kind", "text", "is_resource")) == [
        ("environmental", "Trappa till entrén.", False)
    ]
    assert list(KvaEvent.objects.values_list("code", flat=True)) == ["AW020"]
    assert _messages(response) == ["The rehab plan is made. Add the person's goals."]


def test_a_second_plan_for_the_episode_is_refused_on_the_form(
    client: Client, ot: Staff, plan: RehabPlan
) -> None:
    client.force_login(ot.user)
    data = {"factors-TOTAL_FORMS": "0", "factors-INITIAL_FORMS": "0"}
    response = client.post(reverse("create_rehab_plan", args=[plan.episode.external_id]), data)
    assert response.status_code == 400
    assert "The episode already has a rehab plan." in response.content.decode()
    assert RehabPlan.objects.count() == 1


def test_the_plan_page_shows_goals_actions_and_kva_codes(
    client: Client, pt: Staff, plan: RehabPlan
) -> None:
    client.force_login(pt.user)
    response = client.get(reverse("rehab_plan_detail", args=[plan.external_id]))
    body = response.content.decode()
    for shown in ["Jag vill kunna duscha själv.", "d510", "Balansträning i badrummet", "AW020"]:
        assert shown in body
    assert _reads("rehab_plan.detail") == 1


def test_a_goal_with_a_malformed_icf_code_is_refused_on_the_form(
    client: Client, ot: Staff, plan: RehabPlan
) -> None:
    client.force_login(ot.user)
    data = {
        "own_words": "Jag vill laga mat.",
        "activity": "Laga mat",
        "icf_code": "kitchen",
        "target": "Lagar lunch själv.",
        "target_on": "2026-03-18",
    }
    response = client.post(reverse("add_goal", args=[plan.external_id]), data)
    assert response.status_code == 400
    assert "Write an ICF code" in response.content.decode()
    assert plan.goals.count() == 1

    response = client.post(
        reverse("add_goal", args=[plan.external_id]), data | {"icf_code": "d630"}
    )
    assert response.status_code == 302
    assert list(plan.goals.values_list("icf_code", flat=True)) == ["d510", "d630"]


def test_a_training_action_needs_its_time_window_on_the_form(
    client: Client, ot: Staff, plan: RehabPlan
) -> None:
    client.force_login(ot.user)
    goal = plan.goals.get()
    data = {
        "goal": str(goal.external_id),
        "what": "Träna uppresning",
        "who": "pt",
        "times_per_week": "5",
        "until_on": "2026-03-18",
        "is_training": "on",
    }
    response = client.post(reverse("add_action", args=[plan.external_id]), data)
    assert response.status_code == 400
    assert "A training action needs this to be scheduled." in response.content.decode()

    data |= {
        "window_start": "08:00",
        "window_end": "10:00",
        "duration_minutes": "20",
        "performed_by": "care_worker",
    }
    response = client.post(reverse("add_action", args=[plan.external_id]), data)
    assert response.status_code == 302
    action = PlanAction.objects.get(what="Träna uppresning")
    assert (action.is_training, action.performed_by, action.duration_minutes) == (
        True,
        "care_worker",
        20,
    )


def test_a_review_records_every_goal_s_attainment(
    client: Client, ot: Staff, plan: RehabPlan
) -> None:
    client.force_login(ot.user)
    goal = plan.goals.get()
    data = {"reviewed_on": "2026-03-10", f"goal_{goal.external_id.hex}": "achieved", "note": ""}
    response = client.post(reverse("review_rehab_plan", args=[plan.external_id]), data)
    assert response.status_code == 302
    assert _messages(response) == ["The review is recorded: followed up."]
    assert list(plan.kva_events.values_list("code", flat=True)) == ["AW020", "AW024"]


def test_closing_the_plan_records_aw035(client: Client, ot: Staff, plan: RehabPlan) -> None:
    client.force_login(ot.user)
    response = client.post(
        reverse("close_rehab_plan", args=[plan.external_id]), {"closed_on": "2026-03-10"}
    )
    assert response.status_code == 302
    assert list(plan.kva_events.values_list("code", flat=True)) == ["AW020", "AW035"]


# The person's printed plan


def _unescape(literal: bytes) -> bytes:
    named = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}

    def one(match: re.Match[bytes]) -> bytes:
        escaped = match.group(1)
        if escaped.isdigit():
            return bytes([int(escaped, 8)])
        return named.get(escaped, escaped)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, literal, flags=re.S)


def pdf_text(data: bytes) -> str:
    """The strings a ReportLab PDF shows (ASCII85 + Flate streams, WinAnsi text)."""
    lines = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, flags=re.S):
        content = zlib.decompress(base64.a85decode(stream.strip().removesuffix(b"~>")))
        for literal in re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", content, flags=re.S):
            lines.append(_unescape(literal).decode("cp1252"))
    return " ".join(lines)


def test_the_printed_plan_is_in_english_when_asked(
    client: Client, nurse: Staff, plan: RehabPlan
) -> None:
    client.force_login(nurse.user)
    response = client.get(reverse("rehab_plan_pdf", args=[plan.external_id]) + "?lang=en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'inline; filename="rehab-plan-en-{plan.external_id}.pdf"'
    )
    text = pdf_text(response.content)
    for shown in [
        "My rehab plan",
        "My goals",
        "Jag vill kunna duscha själv.",
        "Who comes and when",
        "Your physiotherapist",
        "Balansträning i badrummet",
        "Times a week: 3, between 09:00 and 11:00",
        "In an emergency, always call 112.",
    ]:
        assert shown in text
    assert _reads("rehab_plan.pdf") == 1


def test_the_printed_plan_shows_the_most_a_day_costs_and_the_months_fee_so_far(
    client: Client, ot: Staff, plan: RehabPlan
) -> None:
    client.force_login(ot.user)
    response = client.get(reverse("rehab_plan_pdf", args=[plan.external_id]) + "?lang=en")
    text = pdf_text(response.content)
    # 2026: 2 660 / 14 = 190 kr a day; home since 6 March, so 5 days x 190 kr by the 10th.
    assert "What it costs" in text
    assert (
        "Trygg hemgång costs at most 190 kr per day (1/14 of the maxtaxa 2 660 kr) and never "
        "more than the maxtaxa in a month."
    ) in text
    assert "So far this month: 950 kr for 5 days." in text


def test_the_printed_plan_is_in_finnish_when_asked(
    client: Client, ot: Staff, plan: RehabPlan
) -> None:
    client.force_login(ot.user)
    response = client.get(reverse("rehab_plan_pdf", args=[plan.external_id]) + "?lang=fi")
    text = pdf_text(response.content)
    for shown in ["Kuntoutussuunnitelmani", "Tavoitteeni", "Fysioterapeuttisi", "Hätätilanteessa"]:
        assert shown in text
    assert "My rehab plan" not in text


def test_the_printed_plan_is_in_swedish_unless_another_language_is_asked(
    client: Client, ot: Staff, plan: RehabPlan
) -> None:
    client.force_login(ot.user)
    response = client.get(reverse("rehab_plan_pdf", args=[plan.external_id]) + "?lang=xx")
    with translation.override("sv"):
        title = gettext(pdf.MESSAGES["title"])
    assert title in pdf_text(response.content)
    assert "-sv-" in response["Content-Disposition"]


def _finnish_catalogue() -> polib.POFile:
    path = Path(settings.BASE_DIR) / "locale" / "fi" / "LC_MESSAGES" / "django.po"
    return polib.pofile(str(path))


def test_every_text_of_the_printed_plan_has_a_finnish_translation() -> None:
    catalogue = _finnish_catalogue()
    translated = {entry.msgid: entry.msgstr for entry in catalogue.translated_entries()}
    assert sorted(set(pdf.MESSAGES.values()) - set(translated)) == []
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    # The Finnish catalogue holds the printed plan only.
    assert sorted(translated) == sorted(set(pdf.MESSAGES.values()))
    placeholder = re.compile(r"%\(\w+\)[sd]")
    assert [
        msgid
        for msgid, msgstr in translated.items()
        if sorted(placeholder.findall(msgid)) != sorted(placeholder.findall(msgstr))
    ] == []


def test_the_english_texts_of_the_printed_plan_are_the_english_msgids() -> None:
    with translation.override("en"):
        assert {key: gettext(text) for key, text in pdf.MESSAGES.items()} == pdf.MESSAGES


# Assistive devices


def test_an_ot_registers_a_device_and_records_its_delivery(
    client: Client, ot: Staff, episode: Episode
) -> None:
    client.force_login(ot.user)
    response = client.post(
        reverse("register_device", args=[episode.external_id]),
        {
            "description": "Rollator",
            "prescribed_by": "municipal_rehab",
            "prescribed_on": "2026-03-09",
        },
    )
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("person_devices", args=[episode.person.external_id]),
    )
    device = AssistiveDevice.objects.get()
    response = client.post(
        reverse("deliver_device", args=[device.external_id]), {"on": "2026-03-08"}
    )
    assert response.status_code == 400
    assert "A device is delivered after it was prescribed." in response.content.decode()

    response = client.post(
        reverse("deliver_device", args=[device.external_id]), {"on": "2026-03-10"}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert (device.delivered_on, device.follow_up_due_on) == (
        datetime.date(2026, 3, 10),
        datetime.date(2026, 3, 24),
    )
    response = client.get(reverse("person_devices", args=[episode.person.external_id]))
    assert "Rollator" in response.content.decode()
    assert reverse("follow_up_device", args=[device.external_id]) in response.content.decode()


def test_a_device_whose_follow_up_is_due_shows_on_the_prescriber_s_worklist(
    client: Client, ot: Staff, pt: Staff, episode: Episode
) -> None:
    delivered_device(episode=episode, by=ot, delivered_on=datetime.date(2026, 2, 25))
    client.force_login(ot.user)
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert "Assistive devices to follow up" in body
    assert "Duschpall" in body
    client.force_login(pt.user)
    assert "Assistive devices to follow up" not in client.get(reverse("home")).content.decode()
