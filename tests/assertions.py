"""Helpers for exact assertions: the codes of a refusal, and the whole state a refusal must
leave untouched."""

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, NoReturn

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db.models import Model

from trygghem.audit.models import AccessLog
from trygghem.decisions.models import Decision, HomeCareDecision
from trygghem.episodes.models import (
    Episode,
    FollowUp,
    ImplementationPlan,
    PlannedService,
    Transition,
)
from trygghem.people.models import Person, Relative
from trygghem.referrals.models import Referral

_RECORD_MODELS: list[type[Model]] = [
    Person,
    Relative,
    Referral,
    Referral.exclusion_criteria.through,
    Episode,
    Episode.teams.through,
    Transition,
    FollowUp,
    ImplementationPlan,
    PlannedService,
    Decision,
    HomeCareDecision,
    AccessLog,
]

# The type of the root conftest's `nothing_changes` fixture.
NothingChanges = Callable[[], AbstractContextManager[None]]


def error_codes(error: ValidationError) -> dict[str, list[str]] | list[str]:
    """{field: [codes]} for a field error, [codes] for a non-field error."""
    if hasattr(error, "error_dict"):
        return {
            field: [str(item.code) for item in items] for field, items in error.error_dict.items()
        }
    return [str(item.code) for item in error.error_list]


def database_state() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table a person's record lives in (including the access log), so a
    refusal can assert that nothing at all was written, changed or deleted."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in _RECORD_MODELS
    }


def change_log(what: str) -> list[tuple[int, int, str, dict[str, Any]]]:
    """(staff id, person id, purpose, detail) of the change-log rows of one kind of write."""
    return list(
        AccessLog.objects.filter(kind=AccessLog.Kind.WRITE, what=what)
        .order_by("id")
        .values_list("staff", "person", "purpose", "detail")
    )


def read_log() -> list[tuple[int, int, str, str]]:
    """(staff id, person id, what, purpose) of every read row of the access log, oldest first."""
    return list(
        AccessLog.objects.filter(kind=AccessLog.Kind.READ)
        .order_by("id")
        .values_list("staff", "person", "what", "purpose")
    )


def skip_unless_ci(reason: str) -> NoReturn:
    """A local machine may lack a real component (Redis, shared/ beside the clone); CI has
    them all, so there the missing component fails the test instead of skipping it."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must have this: {reason}")
    pytest.skip(reason)


def record_state() -> dict[str, list[dict[str, Any]]]:
    """The person's record and the change log, for a refused write through a page: the page
    logs the read of the record even when its write is refused, so read rows are left out."""
    state = database_state()
    state["audit.AccessLog"] = [row for row in state["audit.AccessLog"] if row["kind"] == "write"]
    return state


def messages_of(response: Any) -> list[str]:
    """The messages a page left for the next one (django.contrib.messages)."""
    return [str(message) for message in get_messages(response.wsgi_request)]
