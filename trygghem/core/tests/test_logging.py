import io
import logging
from collections.abc import Iterator

import pytest

from trygghem.core.logging import RedactPersonalData, redact


@pytest.mark.parametrize(
    "identity", ["19121212-1212", "191212121212", "121212-1212", "1212121212", "121212+1212"]
)
def test_redact_replaces_a_personnummer_in_any_written_form(identity: str) -> None:
    assert redact(f"Referral for {identity} registered") == "Referral for [personnummer] registered"


@pytest.mark.parametrize(
    "text",
    [
        "Episode 42 ended",
        "Decision 2026-03-10 to 2026-03-23",
        "Call 0290-77 16 75",
        "1234567890123",
    ],
)
def test_redact_leaves_other_numbers_alone(text: str) -> None:
    assert redact(text) == text


def _record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("trygghem", logging.WARNING, __file__, 1, message, args, None)


def test_the_filter_redacts_a_personnummer_passed_as_an_argument() -> None:
    record = _record("Person %s not found in %s", "19121212-1212", "Hofors")

    assert RedactPersonalData().filter(record) is True
    assert record.getMessage() == "Person [personnummer] not found in Hofors"
    assert record.args is None


def test_the_filter_leaves_a_record_without_personnummer_untouched() -> None:
    record = _record("Episode %s ended", 42)

    assert RedactPersonalData().filter(record) is True
    assert (record.msg, record.args) == ("Episode %s ended", (42,))


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the configured console handler (settings.LOGGING) writes, while the test runs."""
    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(item, RedactPersonalData) for item in handler.filters)
    )
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_the_configured_console_never_shows_a_personnummer(console: io.StringIO) -> None:
    logging.getLogger("trygghem").warning("No episode for 19121212-1212 in %s", "Hofors")

    assert console.getvalue().split(" ", 2)[2] == (
        "WARNING trygghem No episode for [personnummer] in Hofors\n"
    )


def test_the_configured_console_never_shows_a_personnummer_given_as_an_argument(
    console: io.StringIO,
) -> None:
    logging.getLogger("trygghem.referrals").warning("Duplicate referral for %s", "191212121212")

    assert console.getvalue().split(" ", 2)[2] == (
        "WARNING trygghem.referrals Duplicate referral for [personnummer]\n"
    )


def test_the_configured_console_never_shows_a_personnummer_in_a_traceback(
    console: io.StringIO,
) -> None:
    try:
        raise ValueError("Key (identity_number)=(191212121212) already exists.")
    except ValueError:
        logging.getLogger("trygghem").exception("Could not register the referral")

    assert "191212121212" not in console.getvalue()
    assert "[personnummer]" in console.getvalue()
