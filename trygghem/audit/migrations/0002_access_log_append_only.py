"""The access log is append-only: the database itself refuses UPDATE and DELETE."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

_POSTGRES_UP = """
CREATE FUNCTION audit_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_accesslog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accesslog_no_update BEFORE UPDATE OR DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION audit_accesslog_append_only();
"""
_POSTGRES_DOWN = """
DROP TRIGGER audit_accesslog_no_update ON audit_accesslog;
DROP FUNCTION audit_accesslog_append_only();
"""
_SQLITE_UP = [
    """CREATE TRIGGER audit_accesslog_no_update BEFORE UPDATE ON audit_accesslog
    BEGIN SELECT RAISE(ABORT, 'audit_accesslog is append-only'); END;""",
    """CREATE TRIGGER audit_accesslog_no_delete BEFORE DELETE ON audit_accesslog
    BEGIN SELECT RAISE(ABORT, 'audit_accesslog is append-only'); END;""",
]
_SQLITE_DOWN = [
    "DROP TRIGGER audit_accesslog_no_update;",
    "DROP TRIGGER audit_accesslog_no_delete;",
]


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_POSTGRES_UP)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in _SQLITE_UP:
            schema_editor.execute(statement)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_POSTGRES_DOWN)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in _SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
