"""The claim-span check (0002) reads the article's body length from an index.

SQLite stores a row's columns in order, and `body_length` comes after `body`: to read it
from the row, SQLite follows the chain of pages the body spans (a 1 MB body: 250 pages)
for every claim inserted. The trigger ran once per claim, so inserting an article's
claims cost time in proportion to claims × body length: 15,000 claims of a stored 1 MB
article took 2.5 s to insert with the check and 0.2 s without it. An index on (id,
body_length) holds the length without the body; the triggers read it through that
index (`INDEXED BY`: the planner would take the row by its id), 0.3 s.

PostgreSQL keeps a large body apart from its row (TOAST): its trigger is unchanged.
A later migration that rebuilds the claims table on SQLite remakes these triggers
(`SQLITE_CLAIM_TRIGGERS` here), not 0002's.
"""

import importlib

from django.db import migrations, models

from ._vendor import run_by_vendor

_guards = importlib.import_module("claims.migrations.0002_database_guards")
_0012 = importlib.import_module("claims.migrations.0012_claim_scorer_version")

_CHECK = """
    WHEN NEW."end" > (
        SELECT body_length FROM claims_article INDEXED BY article_body_length
        WHERE id = NEW.article_id
    )
    BEGIN SELECT RAISE(ABORT, 'claim span lies outside its article body'); END
    """
SQLITE_CLAIM_TRIGGERS = [
    "CREATE TRIGGER claims_claim_span_in_body_insert BEFORE INSERT ON claims_claim" + _CHECK,
    'CREATE TRIGGER claims_claim_span_in_body_update BEFORE UPDATE OF "end", article_id'
    " ON claims_claim" + _CHECK,
]


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0023_claim_empty_fields_default_in_database"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["id", "body_length"], name="article_body_length"),
        ),
        migrations.RunPython(
            run_by_vendor({"sqlite": _0012.SQLITE_DROP + SQLITE_CLAIM_TRIGGERS}),
            run_by_vendor({"sqlite": _0012.SQLITE_DROP + _0012.SQLITE_CLAIM_TRIGGERS}),
        ),
    ]
