"""`manage.py load_demo`: the synthetic municipality Bruksvik with 18 months of history.

Idempotent: when the demo is already loaded it changes nothing and prints the log-ins again.
Prints staff names and counts only, never a person's name or personnummer.
"""

import argparse
import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from trygghem.core.time import local_now, local_today
from trygghem.demo import load
from trygghem.demo.generate import DEFAULT_SEED, DEMO_PASSWORD, MUNICIPALITY, OUTSIDER


def _iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError("Ange datumet som ÅÅÅÅ-MM-DD.") from error


class Command(BaseCommand):
    help = f"Laddar demokommunen {MUNICIPALITY}: personal, brukare och 18 månaders historik."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Slumpfrö; samma frö ger samma demo (standard %(default)s).",
        )
        parser.add_argument(
            "--today",
            type=_iso_date,
            default=None,
            help="Dagen historiken slutar, ÅÅÅÅ-MM-DD (standard: i dag).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: datetime.date = options["today"] or local_today()
        if load.demo_is_loaded():
            self.stdout.write(f"Demokommunen {MUNICIPALITY} är redan laddad; inget har ändrats.")
        else:
            self._load(today, options["seed"])
        self._print_today(today)
        self._print_logins()

    def _load(self, today: datetime.date, seed: int) -> None:
        started = time.monotonic()
        try:
            counts = load.load_demo(
                today=today, now=_now_on(today), seed=seed, progress=self.stdout.write
            )
        except load.DemoConflictError as error:
            raise CommandError(f"Demon laddades inte: {error}") from error
        seconds = time.monotonic() - started
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demokommunen {MUNICIPALITY} är laddad på {seconds:.1f} s".replace(".", ",", 1)
            )
        )
        self.stdout.write(f"  {summary}.")

    def _print_today(self, today: datetime.date) -> None:
        s = load.today_summary(today)
        self.stdout.write(
            f"\nI dag {today.isoformat()}: {s.referred} nya remisser, {s.decided} väntar på "
            f"hemgång, {s.active} pågående episoder; uppföljning i dag eller i morgon: "
            f"{s.follow_up_due}, försenad uppföljning: {s.follow_up_overdue}, beslut som "
            f"slutar inom tre dagar: {s.ending_soon}."
        )

    def _print_logins(self) -> None:
        rows = load.login_rows()
        self.stdout.write(f"\nInloggningar (samma lösenord för alla: {DEMO_PASSWORD})")
        header = ("Användarnamn", "Roll", "Namn", "Team")
        table = [header, *((r.username, r.title, r.name, r.teams) for r in rows)]
        widths = [max(len(line[i]) for line in table) for i in range(3)]
        for line in table:
            cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, line[3]]))
        view = load.outsider_view()
        if view is not None:
            self.stdout.write("\n" + _outsider_text(view))


def _outsider_text(view: load.OutsiderView) -> str:
    seen = (
        f"{OUTSIDER} arbetar i {view.team} och ser bara episoder för den gruppens egna brukare: "
        f"{view.episodes} episoder, varav {view.open_episodes} pågående."
    )
    if view.open_episodes == 0:
        seen += f" Inget av dagens öppna ärenden syns för {OUTSIDER}."
    return seen


def _now_on(today: datetime.date) -> datetime.datetime:
    """Now, or the afternoon of another `--today`: nothing in the demo happens after it."""
    if today == local_today():
        return local_now()
    return datetime.datetime.combine(
        today, datetime.time(15, 0), tzinfo=timezone.get_current_timezone()
    )
