from pathlib import Path

import polib
from django.conf import settings


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(
        str(Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po")
    )


def test_every_message_has_a_swedish_translation() -> None:
    catalogue = _catalogue("sv")
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == []
    assert fuzzy == []
    assert len(catalogue.translated_entries()) > 200


def test_swedish_placeholders_match_the_english_ones() -> None:
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|\{\{ ?\w+ ?\}\}")
    mismatched = []
    for entry in _catalogue("sv").translated_entries():
        if entry.msgid_plural:
            expected = sorted(placeholder.findall(entry.msgid_plural))
            got = [sorted(placeholder.findall(text)) for text in entry.msgstr_plural.values()]
            if any(found != expected for found in got):
                mismatched.append(entry.msgid)
        elif sorted(placeholder.findall(entry.msgid)) != sorted(placeholder.findall(entry.msgstr)):
            mismatched.append(entry.msgid)
    assert mismatched == []
