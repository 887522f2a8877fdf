"""The audit table refuses UPDATE, DELETE and (on PostgreSQL) TRUNCATE, whoever asks.

The model already refuses changes through the ORM; these triggers refuse raw SQL too.
Only the table's owner can take them off again (`ALTER TABLE … DISABLE TRIGGER`, or
dropping them on SQLite), which is a schema change, not something the app ever does;
and a row changed behind their back still breaks the hash chain that `verify_audit`
checks.
"""

from django.db import migrations

from ._vendor import run_by_vendor

REFUSAL = "audit events are append-only"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER claims_auditevent_no_update BEFORE UPDATE ON claims_auditevent
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER claims_auditevent_no_delete BEFORE DELETE ON claims_auditevent
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}: DELETE refused'); END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER claims_auditevent_no_update",
    "DROP TRIGGER claims_auditevent_no_delete",
]

POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION claims_auditevent_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{REFUSAL}: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END $$
    """,
    """
    CREATE TRIGGER claims_auditevent_no_update_delete BEFORE UPDATE OR DELETE
    ON claims_auditevent FOR EACH ROW EXECUTE FUNCTION claims_auditevent_refuse()
    """,
    """
    CREATE TRIGGER claims_auditevent_no_truncate BEFORE TRUNCATE
    ON claims_auditevent FOR EACH STATEMENT EXECUTE FUNCTION claims_auditevent_refuse()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER claims_auditevent_no_truncate ON claims_auditevent",
    "DROP TRIGGER claims_auditevent_no_update_delete ON claims_auditevent",
    "DROP FUNCTION claims_auditevent_refuse()",
]


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_publication_summary")]

    operations = [
        migrations.RunPython(
            run_by_vendor({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run_by_vendor({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
