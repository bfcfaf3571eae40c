"""The Playwright suite: Debian's chromium (never a downloaded browser) driving the live server.

Playwright's sync API runs an event loop in this thread, so Django's guard against ORM calls
from async code would refuse every query a test makes while a page is open.
"""

import importlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("TRYGGHEM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

LogIn = Callable[[str, str], Page]


def sv(text: str) -> str:
    """The Swedish text the UI shows for an English message: tests find elements by what a
    Swedish user reads, without repeating the catalogue."""
    with translation.override("sv"):
        return gettext(text)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    browser_dir = Path(__file__).parent
    for item in items:
        if browser_dir in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def access_log_deletable_on_sqlite(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[None]:
    """Live-server tests empty the database between tests; on SQLite that is a DELETE, which
    the access log's append-only trigger refuses (PostgreSQL truncates, which it allows). The
    delete trigger is lifted for the browser suite only and put back after it."""
    with django_db_blocker.unblock():
        sqlite = connection.vendor == "sqlite"
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("DROP TRIGGER IF EXISTS audit_accesslog_no_delete")
    yield
    if sqlite:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "CREATE TRIGGER audit_accesslog_no_delete BEFORE DELETE ON audit_accesslog "
                "BEGIN SELECT RAISE(ABORT, 'audit_accesslog is append-only'); END;"
            )


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """The programs, end reasons and exclusion criteria the data migrations load: emptying
    the database between live-server tests removes them, so they are loaded again."""
    for module in (
        "trygghem.episodes.migrations.0002_reference_data",
        "trygghem.referrals.migrations.0002_reference_data",
        "trygghem.people.migrations.0002_reference_data",
    ):
        importlib.import_module(module).forwards(apps, None)


@pytest.fixture
def page(
    browser: Browser, live_server: LiveServer, access_log_deletable_on_sqlite: None
) -> Iterator[Page]:
    """A fresh browser context per test, in Swedish like the municipality's staff."""
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def log_in(page: Page) -> LogIn:
    """Log in through the real log-in form and wait until the browser has left it."""

    def log_in_as(username: str, password: str) -> Page:
        page.goto("/login/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name=sv("Log in")).click()
        expect(page).not_to_have_url(re.compile(r"/login/"))
        return page

    return log_in_as
