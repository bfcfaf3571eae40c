import re

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from tests.browser.conftest import LogIn, sv


def test_the_log_in_page_shows_the_log_in_form(page: Page) -> None:
    page.goto("/login/")

    expect(page.get_by_role("heading", name=sv("Log in to trygghem"))).to_be_visible()
    expect(page.get_by_label("Användarnamn")).to_be_editable()
    expect(page.get_by_label("Lösenord")).to_have_attribute("type", "password")
    expect(page.get_by_role("button", name=sv("Log in"))).to_be_enabled()


def test_a_page_sends_a_logged_out_visitor_to_the_log_in_page(page: Page) -> None:
    page.goto("/")

    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))


def test_a_wrong_password_shows_an_error_and_stays_on_the_log_in_page(page: Page) -> None:
    User.objects.create_user(username="anna", password="right-password-1")
    page.goto("/login/")

    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_label("Lösenord").fill("wrong-password")
    page.get_by_role("button", name=sv("Log in")).click()

    expect(page.get_by_role("alert")).to_contain_text("Ange ett korrekt användarnamn och lösenord.")
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_label("Lösenord")).to_have_value("")


def test_the_right_password_leaves_the_log_in_page(log_in: LogIn) -> None:
    User.objects.create_user(username="anna", password="right-password-1")

    page = log_in("anna", "right-password-1")

    expect(page).to_have_url(re.compile(r"/$"))
