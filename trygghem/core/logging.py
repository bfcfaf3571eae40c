"""Log redaction: personnummer-shaped digit runs never reach a log handler."""

import logging
import re

_IDENTITY_NUMBER = re.compile(r"(?<!\d)(\d{2})?\d{6}[-+]?\d{4}(?!\d)")


def redact(text: str) -> str:
    return _IDENTITY_NUMBER.sub("[personnummer]", text)


class RedactPersonalData(logging.Filter):
    """Replaces anything shaped like a personnummer in the formatted message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
