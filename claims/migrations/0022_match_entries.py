import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from ._vendor import run_by_vendor

FTS = "claims_matchentry_fts"
# SQLite: an FTS5 index of the checked claims' terms (external content: it stores only
# the index), kept in step by triggers in the same transaction as every write to the
# entries; the terms are the scorer's own, so the index splits on spaces only ("#5.2" is
# one term).
SQLITE = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(terms, content='claims_matchentry',
    content_rowid='claim_id', tokenize="unicode61 remove_diacritics 0 tokenchars '#.'")""",
    f"""CREATE TRIGGER {FTS}_insert AFTER INSERT ON claims_matchentry BEGIN
    INSERT INTO {FTS}(rowid, terms) VALUES (new.claim_id, new.terms); END""",
    f"""CREATE TRIGGER {FTS}_delete AFTER DELETE ON claims_matchentry BEGIN
    INSERT INTO {FTS}({FTS}, rowid, terms) VALUES ('delete', old.claim_id, old.terms); END""",
    f"""CREATE TRIGGER {FTS}_update AFTER UPDATE ON claims_matchentry BEGIN
    INSERT INTO {FTS}({FTS}, rowid, terms) VALUES ('delete', old.claim_id, old.terms);
    INSERT INTO {FTS}(rowid, terms) VALUES (new.claim_id, new.terms); END""",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {FTS}_{name}" for name in ("insert", "delete", "update")
] + [f"DROP TABLE IF EXISTS {FTS}"]
# PostgreSQL: the terms' vector GIN-indexed. Matching no longer reads the claims' text
# by trigrams (see claims/search/engine.py), so that index goes.
POSTGRESQL = [
    "CREATE INDEX match_entry_vector ON claims_matchentry USING gin (vector)",
    "DROP INDEX IF EXISTS search_entry_trigrams",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS match_entry_vector",
    "CREATE INDEX search_entry_trigrams ON claims_searchentry USING gin (text gin_trgm_ops)"
    " WHERE kind = 'claim'",
]


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0021_team_photo_and_anchor"),
    ]

    operations = [
        migrations.CreateModel(
            name="MatchEntry",
            fields=[
                (
                    "claim",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="match_entry",
                        serialize=False,
                        to="claims.claim",
                        verbose_name="claim",
                    ),
                ),
                ("terms", models.TextField(verbose_name="terms")),
                (
                    "vector",
                    django.contrib.postgres.search.SearchVectorField(
                        blank=True, editable=False, null=True, verbose_name="search vector"
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="claims.article",
                        verbose_name="article",
                    ),
                ),
            ],
            options={
                "verbose_name": "match entry",
                "verbose_name_plural": "match entries",
            },
        ),
        migrations.CreateModel(
            name="MatchTerm",
            fields=[
                (
                    "term",
                    models.TextField(primary_key=True, serialize=False, verbose_name="term"),
                ),
                (
                    "claims",
                    models.PositiveIntegerField(default=0, verbose_name="claims holding it"),
                ),
            ],
            options={
                "verbose_name": "match term",
                "verbose_name_plural": "match terms",
            },
        ),
        migrations.RunPython(
            run_by_vendor({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run_by_vendor({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
