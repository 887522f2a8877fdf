"""Invariants a CHECK constraint can't express, as triggers on SQLite and PostgreSQL.

- A claim's span must lie inside its article's body (`end <= body_length`).
- An article's body and its hash never change after import.
"""

from django.db import migrations

from ._vendor import run_by_vendor

SQLITE_FORWARD = [
    """
    CREATE TRIGGER claims_claim_span_in_body_insert BEFORE INSERT ON claims_claim
    WHEN NEW."end" > (SELECT body_length FROM claims_article WHERE id = NEW.article_id)
    BEGIN SELECT RAISE(ABORT, 'claim span lies outside its article body'); END
    """,
    """
    CREATE TRIGGER claims_claim_span_in_body_update BEFORE UPDATE OF "end", article_id
    ON claims_claim
    WHEN NEW."end" > (SELECT body_length FROM claims_article WHERE id = NEW.article_id)
    BEGIN SELECT RAISE(ABORT, 'claim span lies outside its article body'); END
    """,
    """
    CREATE TRIGGER claims_article_body_immutable BEFORE UPDATE OF body, sha256
    ON claims_article
    WHEN OLD.body IS NOT NEW.body OR OLD.sha256 IS NOT NEW.sha256
    BEGIN SELECT RAISE(ABORT, 'an article body never changes after import'); END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER claims_claim_span_in_body_insert",
    "DROP TRIGGER claims_claim_span_in_body_update",
    "DROP TRIGGER claims_article_body_immutable",
]

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION claims_claim_span_in_body() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW."end" > (SELECT body_length FROM claims_article WHERE id = NEW.article_id) THEN
            RAISE EXCEPTION 'claim span lies outside its article body'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER claims_claim_span_in_body BEFORE INSERT OR UPDATE OF "end", article_id
    ON claims_claim FOR EACH ROW EXECUTE FUNCTION claims_claim_span_in_body()
    """,
    """
    CREATE FUNCTION claims_article_body_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.body IS DISTINCT FROM OLD.body OR NEW.sha256 IS DISTINCT FROM OLD.sha256 THEN
            RAISE EXCEPTION 'an article body never changes after import'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER claims_article_body_immutable BEFORE UPDATE OF body, sha256
    ON claims_article FOR EACH ROW EXECUTE FUNCTION claims_article_body_immutable()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER claims_claim_span_in_body ON claims_claim",
    "DROP FUNCTION claims_claim_span_in_body()",
    "DROP TRIGGER claims_article_body_immutable ON claims_article",
    "DROP FUNCTION claims_article_body_immutable()",
]


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [
        migrations.RunPython(
            run_by_vendor({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run_by_vendor({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
