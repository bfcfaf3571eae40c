"""The implementation plan (genomförandeplan) as a printable PDF for ordinary home care.

The plan is a document of the Swedish record handed to another group, so it is written in the
municipality's language (settings.LANGUAGE_CODE) whatever language the reader uses. ReportLab's
built-in Helvetica covers Latin-1, which holds å, ä and ö.
"""

import datetime
import io
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from trygghem.core.time import local_date
from trygghem.episodes.models import Episode, ImplementationPlan

_MARGIN = 18 * mm


def _text(value: str) -> str:
    """Free text for a Paragraph: its markup escaped, its line breaks kept."""
    return "<br/>".join(escape(line) for line in value.strip().splitlines())


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def implementation_plan_pdf(*, plan: ImplementationPlan, episode: Episode) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return _render(plan=plan, episode=episode)


def implementation_plan_filename(*, episode: Episode) -> str:
    """Named by the episode's UUID: a file name must not carry the personnummer."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"{slugify(_('implementation plan'))}-{episode.external_id}.pdf"


def _render(*, plan: ImplementationPlan, episode: Episode) -> bytes:
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    heading = styles["Heading2"]
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11)
    person = episode.person

    def section(title: str, text: str) -> list[Flowable]:
        return [Paragraph(escape(title), heading), Paragraph(_text(text) or "–", body)]

    start_on = local_date(episode.home_at) if episode.home_at is not None else None
    period = " – ".join(_day(day) for day in (start_on, episode.ended_on) if day is not None)
    team = plan.receiving_team
    team_line = f"{team.name}, {team.phone}" if team.phone else team.name
    facts = [
        (_("Person"), f"{person.full_name}, {person.formatted_identity_number}"),
        (_("Program"), episode.program.name),
        (_("Period"), period),
        (_("Receiving home-care group"), team_line),
    ]
    fact_rows = [
        [Paragraph(f"<b>{escape(label)}</b>", body), Paragraph(_text(value), body)]
        for label, value in facts
    ]
    headings = (_("Service"), _("How it is carried out"), _("When and how often"))
    service_rows = [[Paragraph(f"<b>{escape(label)}</b>", cell) for label in headings]] + [
        [Paragraph(_text(text), cell) for text in (service.what, service.how, service.when)]
        for service in plan.services.all()
    ]
    signature = _("Written by %(name)s on %(day)s.") % {
        "name": plan.written_by.full_name,
        "day": _day(local_date(plan.created_at)),
    }
    story: list[Flowable] = [
        Paragraph(escape(_("Implementation plan")), styles["Title"]),
        _table(fact_rows, widths=[50 * mm, None], header=False),
        *section(_("Remaining needs"), plan.remaining_needs),
        Paragraph(escape(_("Services")), heading),
        _table(service_rows, widths=[45 * mm, None, 40 * mm], header=True),
        *section(_("Goals to maintain"), plan.goals_to_maintain),
        *section(_("Contacts"), plan.contacts),
        Spacer(1, 6 * mm),
        Paragraph(escape(signature), body),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=_("Implementation plan"),
        author=plan.written_by.full_name,
    )
    document.build(story)
    return buffer.getvalue()


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
