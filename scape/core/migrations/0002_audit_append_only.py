"""Make the audit table append-only in the database itself, where the engine allows it."""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION scape_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'core_auditevent is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER scape_audit_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION scape_audit_refuse_change();
"""

PG_DOWN = """
DROP TRIGGER IF EXISTS scape_audit_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS scape_audit_refuse_change();
"""


def _up(apps, schema_editor):
    # SQLite could refuse too, but its test-database flush deletes rows one
    # table at a time; there the model layer alone refuses changes.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_UP)


def _down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DOWN)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(_up, _down)]
