from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, transaction

from tests.factories import PersonFactory
from trygghem.audit.models import AccessLog
from trygghem.audit.services import log_read, log_reads, purpose_for, record_change
from trygghem.staff.models import Staff

pytestmark = pytest.mark.django_db

Role = Staff.Role


@pytest.mark.parametrize(
    ("role", "purpose"),
    [
        (Role.CASE_OFFICER, "case_handling"),
        (Role.MANAGER, "management"),
        (Role.OT, "care"),
        (Role.PT, "care"),
        (Role.NURSE, "care"),
        (Role.REHAB_ASSISTANT, "care"),
        (Role.CARE_WORKER, "care"),
        (Role.COORDINATOR, "care"),
        (Role.MAS, "care"),
        (Role.ADMIN, "care"),
    ],
)
def test_the_purpose_of_an_access_follows_the_role(role: str, purpose: str) -> None:
    assert purpose_for(Staff(role=role)) == purpose


def test_record_change_writes_one_write_row_with_codes_only(case_officer: Staff) -> None:
    person = PersonFactory.create()

    record_change(
        by=case_officer, person=person, action="episode.ended", detail={"reason": "moved"}
    )

    assert list(
        AccessLog.objects.values_list("staff", "person", "kind", "what", "purpose", "detail")
    ) == [
        (case_officer.pk, person.pk, "write", "episode.ended", "case_handling", {"reason": "moved"})
    ]


def test_record_change_without_detail_stores_an_empty_detail(manager: Staff) -> None:
    person = PersonFactory.create()

    record_change(by=manager, person=person, action="person.updated")

    assert AccessLog.objects.values_list("purpose", "detail").get() == ("management", {})


def test_log_read_writes_one_read_row(nurse: Staff) -> None:
    person = PersonFactory.create()

    log_read(by=nurse, person=person, what="person.detail")

    assert list(
        AccessLog.objects.values_list("staff", "person", "kind", "what", "purpose", "detail")
    ) == [(nurse.pk, person.pk, "read", "person.detail", "care", {})]


def test_log_reads_writes_one_row_per_person_shown(coordinator: Staff) -> None:
    first, second = PersonFactory.create(), PersonFactory.create()

    log_reads(by=coordinator, people=[first, second, first], what="worklist")

    assert sorted(AccessLog.objects.values_list("staff", "person", "kind", "what", "purpose")) == [
        (coordinator.pk, first.pk, "read", "worklist", "care"),
        (coordinator.pk, second.pk, "read", "worklist", "care"),
    ]


def _rewrite_with_save(row: AccessLog) -> None:
    row.what = "nothing.happened"
    row.save()


def _rewrite_with_update(row: AccessLog) -> None:
    AccessLog.objects.filter(pk=row.pk).update(what="nothing.happened")


def _delete_the_row(row: AccessLog) -> None:
    row.delete()


def _delete_the_whole_log(row: AccessLog) -> None:
    AccessLog.objects.all().delete()


def _delete_in_sql(row: AccessLog) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslog")


@pytest.mark.parametrize(
    "tamper",
    [
        _rewrite_with_save,
        _rewrite_with_update,
        _delete_the_row,
        _delete_the_whole_log,
        _delete_in_sql,
    ],
)
def test_the_database_refuses_to_change_or_delete_an_access_log_row(
    tamper: Callable[[AccessLog], None], case_officer: Staff
) -> None:
    person = PersonFactory.create()
    log_read(by=case_officer, person=person, what="person.detail")
    row = AccessLog.objects.get()
    before = list(AccessLog.objects.values())

    with pytest.raises(DatabaseError), transaction.atomic():
        tamper(row)

    assert list(AccessLog.objects.values()) == before


def test_every_event_the_code_logs_has_a_label_for_the_reader_of_the_log() -> None:
    import re
    from pathlib import Path

    from trygghem.audit.models import EVENT_LABELS

    root = Path(__file__).resolve().parents[2]
    code = [p for p in root.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]
    logged = {
        match
        for path in code
        for match in re.findall(r'(?:what|action)="([a-z_.]+)"', path.read_text())
    }
    assert logged - set(EVENT_LABELS) == set()
