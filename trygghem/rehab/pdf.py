"""The person's rehab plan as a readable PDF for the person and relatives (in the style of the
Hofors brochure): their goals in their own words, what they do themselves, who comes when, and
whom to call. Printed in Swedish, Finnish or English: every text the document shows is in
MESSAGES, so a test can check each has a Finnish translation. ReportLab's built-in Helvetica
covers Latin-1, which holds å, ä and ö.
"""

import datetime
import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_noop
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, PropertySet, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from trygghem.core.time import local_today
from trygghem.decisions.selectors import current_decision
from trygghem.fees.rules import whole_kronor
from trygghem.people.selectors import responsible_case_officer
from trygghem.rehab import selectors
from trygghem.rehab.models import PlanAction, RehabPlan
from trygghem.reports.selectors import fee_so_far
from trygghem.staff.models import Team

# The languages the plan is printed in, each named in its own language.
LANGUAGES = (("sv", "Svenska"), ("fi", "Suomi"), ("en", "English"))

MESSAGES = {
    "title": gettext_noop("My rehab plan"),
    "intro": gettext_noop(
        "We made this plan together with you. It shows your goals, what you do yourself "
        "and who comes to you."
    ),
    "name": gettext_noop("Name"),
    "period": gettext_noop("Period"),
    "written_by": gettext_noop("Written by"),
    "next_review": gettext_noop("Next review"),
    "goals": gettext_noop("My goals"),
    "main_goal": gettext_noop("Main goal"),
    "sub_goal": gettext_noop("Sub-goal"),
    "target_on": gettext_noop("To reach by %(day)s"),
    "self_care": gettext_noop("What I do myself"),
    "visits": gettext_noop("Who comes and when"),
    "nothing": gettext_noop("Nothing written yet."),
    "who": gettext_noop("Who"),
    "what": gettext_noop("What"),
    "how_often": gettext_noop("How often"),
    "until": gettext_noop("Until"),
    "until_day": gettext_noop("until %(day)s"),
    "times_per_week": gettext_noop("Times a week: %(times)d"),
    "between": gettext_noop("between %(start)s and %(end)s"),
    "contacts": gettext_noop("Contacts"),
    "case_officer": gettext_noop("Case officer"),
    "ot": gettext_noop("Your occupational therapist"),
    "pt": gettext_noop("Your physiotherapist"),
    "rehab_assistant": gettext_noop("Rehab assistant"),
    "care_worker": gettext_noop("Home care staff"),
    "person": gettext_noop("You yourself"),
    "emergency": gettext_noop("In an emergency, always call 112."),
    "costs": gettext_noop("What it costs"),
    "cost_per_day": gettext_noop(
        "%(program)s costs at most %(per_day)s kr per day (1/%(share)d of the maxtaxa "
        "%(max)s kr) and never more than the maxtaxa in a month."
    ),
    "cost_so_far": gettext_noop("So far this month: %(amount)s kr for %(days)d days."),
    "filename": gettext_noop("rehab plan"),
}

_WHO = {
    PlanAction.Who.OT: "ot",
    PlanAction.Who.PT: "pt",
    PlanAction.Who.REHAB_ASSISTANT: "rehab_assistant",
    PlanAction.Who.CARE_WORKER: "care_worker",
    PlanAction.Who.PERSON: "person",
}
_MARGIN = 18 * mm


def _t(key: str, **values: Any) -> str:
    text = gettext(MESSAGES[key])
    return text % values if values else text


def _text(value: str) -> str:
    """Free text for a Paragraph: its markup escaped, its line breaks kept."""
    return "<br/>".join(escape(line) for line in value.strip().splitlines())


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _kronor(value: Decimal) -> str:
    """Whole kronor with a space between thousands, as the brochure writes them (2 575)."""
    return f"{whole_kronor(value):,.0f}".replace(",", " ")


def rehab_plan_filename(*, plan: RehabPlan, language: str) -> str:
    """Named by the plan's UUID: a file name must not carry the personnummer."""
    with translation.override(language):
        return f"{slugify(_t('filename'))}-{language}-{plan.external_id}.pdf"


def rehab_plan_pdf(*, plan: RehabPlan, language: str) -> bytes:
    with translation.override(language):
        return _render(plan)


def _render(plan: RehabPlan) -> bytes:
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"])
    heading = styles["Heading2"]
    cell = ParagraphStyle("cell", parent=body, fontSize=10, leading=12)
    episode = plan.episode
    person = episode.person

    decision = current_decision(episode=episode)
    period = (
        f"{_day(decision.start_on)} – {_day(decision.effective_end_on)}"
        if decision is not None
        else "–"
    )
    writer = plan.written_by
    writer_line = ", ".join(part for part in (writer.full_name, writer.phone) if part)
    facts = [(_t("name"), person.full_name), (_t("period"), period)]
    facts.append((_t("written_by"), writer_line))
    if plan.next_review_on is not None:
        facts.append((_t("next_review"), _day(plan.next_review_on)))
    fact_rows = [
        [Paragraph(f"<b>{escape(label)}</b>", body), Paragraph(_text(value), body)]
        for label, value in facts
    ]

    goal_flowables: list[Flowable] = []
    for tree in selectors.goal_tree(plan=plan):
        for goal in [tree.goal, *tree.sub_goals]:
            label = _t("main_goal") if goal.is_main else _t("sub_goal")
            target = _t("target_on", day=_day(goal.target_on))
            style = body if goal.is_main else ParagraphStyle("sub", parent=body, leftIndent=8 * mm)
            goal_flowables.append(
                Paragraph(
                    f"<b>{escape(label)}:</b> “{_text(goal.own_words)}” ({escape(target)})", style
                )
            )
    if not goal_flowables:
        goal_flowables.append(Paragraph(escape(_t("nothing")), body))

    actions = list(plan.actions.order_by("until_on", "created_at", "id"))
    own = [action for action in actions if action.who == PlanAction.Who.PERSON]
    others = [action for action in actions if action.who != PlanAction.Who.PERSON]
    own_flowables: list[Flowable] = [
        Paragraph(f"• {escape(_action_line(action))}", body) for action in own
    ] or [Paragraph(escape(_t("nothing")), body)]

    headings = (_t("who"), _t("what"), _t("how_often"), _t("until"))
    visit_rows = [[Paragraph(f"<b>{escape(label)}</b>", cell) for label in headings]] + [
        [
            Paragraph(escape(_t(_WHO[PlanAction.Who(action.who)])), cell),
            Paragraph(_text(action.what), cell),
            Paragraph(escape(_how_often(action)), cell),
            Paragraph(escape(_day(action.until_on)), cell),
        ]
        for action in others
    ]

    story: list[Flowable] = [
        Paragraph(escape(_t("title")), styles["Title"]),
        Paragraph(escape(_t("intro")), body),
        Spacer(1, 3 * mm),
        _table(fact_rows, widths=[45 * mm, None], header=False),
        Paragraph(escape(_t("goals")), heading),
        *goal_flowables,
        Paragraph(escape(_t("self_care")), heading),
        *own_flowables,
        Paragraph(escape(_t("visits")), heading),
    ]
    if others:
        story.append(_table(visit_rows, widths=[45 * mm, None, 45 * mm, 25 * mm], header=True))
    else:
        story.append(Paragraph(escape(_t("nothing")), body))
    story += _cost_flowables(plan, body, heading)
    story += [
        Paragraph(escape(_t("contacts")), heading),
        _table(_contact_rows(plan, body), widths=[70 * mm, None], header=False),
        Spacer(1, 4 * mm),
        Paragraph(f"<b>{escape(_t('emergency'))}</b>", body),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=_t("title"),
        author=writer.full_name,
    )
    document.build(story)
    return buffer.getvalue()


def _cost_flowables(plan: RehabPlan, body: ParagraphStyle, heading: PropertySet) -> list[Flowable]:
    """The most a day costs and the month's fee so far; absent for a free or hourly program."""
    fee = fee_so_far(episode=plan.episode, today=local_today())
    if fee is None:
        return []
    per_day = _t(
        "cost_per_day",
        program=fee.program,
        per_day=_kronor(fee.max_per_day),
        share=fee.share_denominator,
        max=_kronor(fee.monthly_max),
    )
    so_far = _t("cost_so_far", amount=_kronor(fee.amount), days=fee.days)
    return [
        Paragraph(escape(_t("costs")), heading),
        Paragraph(escape(per_day), body),
        Paragraph(escape(so_far), body),
    ]


def _how_often(action: PlanAction) -> str:
    text = _t("times_per_week", times=action.times_per_week)
    if action.window_start is not None and action.window_end is not None:
        window = _t(
            "between",
            start=action.window_start.strftime("%H:%M"),
            end=action.window_end.strftime("%H:%M"),
        )
        text = f"{text}, {window}"
    return text


def _action_line(action: PlanAction) -> str:
    return f"{action.what} – {_how_often(action)}, {_t('until_day', day=_day(action.until_on))}"


def _contact_rows(plan: RehabPlan, style: ParagraphStyle) -> list[list[Paragraph]]:
    """The case officer by day of birth, the plan's writer and the teams' phones (Hofors
    brochure: the team's phone hours, otherwise the home-care group)."""
    rows: list[tuple[str, str]] = []
    officer = responsible_case_officer(person=plan.episode.person)
    if officer is not None:
        rows.append(
            (_t("case_officer"), ", ".join(part for part in (officer.name, officer.phone) if part))
        )
    writer = plan.written_by
    if writer.phone:
        role = _t("ot") if writer.role == writer.Role.OT else _t("pt")
        rows.append((role, f"{writer.full_name}, {writer.phone}"))
    for team in plan.episode.teams.exclude(kind=Team.Kind.NEEDS_ASSESSMENT).exclude(phone=""):
        hours = f" ({team.phone_hours})" if team.phone_hours else ""
        rows.append((team.name, f"{team.phone}{hours}"))
    return [
        [Paragraph(f"<b>{escape(label)}</b>", style), Paragraph(_text(value), style)]
        for label, value in rows
    ] or [[Paragraph("–", style), Paragraph("", style)]]


def _table(rows: list[list[Paragraph]], *, widths: list[float | None], header: bool) -> Table:
    free = A4[0] - 2 * _MARGIN - sum(width for width in widths if width is not None)
    table = Table(
        rows,
        colWidths=[free if width is None else width for width in widths],
        repeatRows=int(header),
    )
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf0")))
    table.setStyle(TableStyle(style))
    return table
