"""Each match entry's weight (its lightest line's, as the scorer weighs it), indexed:
matching asks only for the claims light enough to reach the threshold.

On SQLite the new column rebuilds the entries' table, which drops the triggers that keep
its FTS5 index in step (0022): they are made again after the weights are written (so
writing them doesn't rewrite the index), and before the column goes on the way back.
"""

import importlib

from django.db import migrations, models

from ._vendor import run_by_vendor

_0022 = importlib.import_module("claims.migrations.0022_match_entries")
# 0022's statements after the one making the FTS5 table: its three triggers.
REMAKE_TRIGGERS = run_by_vendor(
    {
        "sqlite": [
            f"DROP TRIGGER IF EXISTS {_0022.FTS}_{name}" for name in ("insert", "delete", "update")
        ]
        + _0022.SQLITE[1:]
    }
)
NUMBER_WEIGHT = 2  # claims.search.text.NUMBER_WEIGHT when this was written


def weigh(apps, schema_editor):
    """claims.search.text.indexed_weight, as it was when this was written."""
    MatchEntry = apps.get_model("claims", "MatchEntry")

    def weight(terms: str) -> float:
        return min(
            len(line.split()) + (NUMBER_WEIGHT - 1) * line.count("#") for line in terms.split("\n")
        )

    batch = []
    for entry in MatchEntry.objects.only("claim_id", "terms").iterator(chunk_size=2000):
        entry.weight = weight(entry.terms)
        batch.append(entry)
    MatchEntry.objects.bulk_update(batch, ["weight"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0025_claims_indexed_on_their_rows"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, REMAKE_TRIGGERS),
        migrations.AddField(
            model_name="matchentry",
            name="weight",
            field=models.FloatField(default=0, verbose_name="weight"),
        ),
        migrations.RunPython(weigh, migrations.RunPython.noop),
        migrations.RunPython(REMAKE_TRIGGERS, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="matchentry",
            index=models.Index(fields=["weight"], name="match_entry_weight"),
        ),
    ]
