"""The desk's search index of claims moves onto the claims' own rows.

Until now every claim had a search entry holding its text again: an import of 15,000
sentences wrote 15,000 entries besides its claims, a fifth of its time. Now a claim is
indexed where it is: on SQLite an FTS5 index over the claims table's `text` and
`wording` (external content: it stores only the index), kept in step by triggers in the
same transaction as every write to a claim; on PostgreSQL `Claim.search_vector`, the
claim's words parsed in its article's language's configuration, GIN-indexed, written by
`claims/search/indexing.py` in the services' transactions as the entries' vectors are.
The claims' entries are deleted.

On SQLite, a later migration that rebuilds the claims table drops its triggers: it makes
`SQLITE_CLAIM_TRIGGERS` here again (0024's span checks and these).
"""

import importlib

import django.contrib.postgres.search
from django.contrib.postgres.search import SearchVector
from django.db import migrations

from claims.languages import text_search_config

from ._vendor import run_by_vendor

_0024 = importlib.import_module("claims.migrations.0024_claim_span_check_reads_an_index")

FTS = "claims_claim_fts"
SQLITE_FTS_TRIGGERS = [
    f"""CREATE TRIGGER {FTS}_insert AFTER INSERT ON claims_claim BEGIN
    INSERT INTO {FTS}(rowid, text, wording) VALUES (new.id, new.text, new.wording); END""",
    f"""CREATE TRIGGER {FTS}_delete AFTER DELETE ON claims_claim BEGIN
    INSERT INTO {FTS}({FTS}, rowid, text, wording)
    VALUES ('delete', old.id, old.text, old.wording); END""",
    f"""CREATE TRIGGER {FTS}_update AFTER UPDATE OF text, wording ON claims_claim BEGIN
    INSERT INTO {FTS}({FTS}, rowid, text, wording)
    VALUES ('delete', old.id, old.text, old.wording);
    INSERT INTO {FTS}(rowid, text, wording) VALUES (new.id, new.text, new.wording); END""",
]
SQLITE_CLAIM_TRIGGERS = _0024.SQLITE_CLAIM_TRIGGERS + SQLITE_FTS_TRIGGERS
SQLITE = [
    # The same tokenizer as the entries' index (0015).
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(text, wording, content='claims_claim',
    content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    *SQLITE_FTS_TRIGGERS,
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {FTS}_{name}" for name in ("insert", "delete", "update")
] + [f"DROP TABLE IF EXISTS {FTS}"]
POSTGRESQL = ["CREATE INDEX claim_search_vector ON claims_claim USING gin (search_vector)"]
POSTGRESQL_REVERSE = ["DROP INDEX IF EXISTS claim_search_vector"]


def index_claims(apps, schema_editor):
    """The claims' vectors on PostgreSQL (SQLite's index was rebuilt above), and their
    old entries gone."""
    Article = apps.get_model("claims", "Article")
    Claim = apps.get_model("claims", "Claim")
    SearchEntry = apps.get_model("claims", "SearchEntry")
    if schema_editor.connection.vendor == "postgresql":
        for article in Article.objects.only("id", "language"):
            config = text_search_config(article.language)
            Claim.objects.filter(article=article).update(
                search_vector=SearchVector("wording", "text", config=config)
            )
    SearchEntry.objects.filter(kind="claim").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0024_claim_span_check_reads_an_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                blank=True, editable=False, null=True, verbose_name="search vector"
            ),
        ),
        migrations.RunPython(
            run_by_vendor({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run_by_vendor({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
        # Going back leaves the claims without entries: `manage.py reindex_search` makes
        # them again.
        migrations.RunPython(index_claims, migrations.RunPython.noop),
    ]
