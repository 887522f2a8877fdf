"""Claims keep the version of the scorer that scored them; claims imported before the
trained scorer were scored by the keyword heuristic and are marked so.

On SQLite, adding a NOT NULL column rebuilds the claims table, which drops its triggers
(0002): they are made again. The default that names the current scorer lives in Python
only, so it changes the migration state and not the database.
"""

import importlib

import claims.models
from django.db import migrations, models

from ._vendor import run_by_vendor

_guards = importlib.import_module("claims.migrations.0002_database_guards")
SQLITE_CLAIM_TRIGGERS = [s for s in _guards.SQLITE_FORWARD if "ON claims_claim" in s]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS claims_claim_span_in_body_insert",
    "DROP TRIGGER IF EXISTS claims_claim_span_in_body_update",
]


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0011_url_import_and_capture'),
    ]

    operations = [
        # Undoing the column rebuilds the table again: the triggers are made after it.
        migrations.RunPython(
            migrations.RunPython.noop,
            run_by_vendor({"sqlite": SQLITE_DROP + SQLITE_CLAIM_TRIGGERS}),
        ),
        migrations.AddField(
            model_name='claim',
            name='scorer_version',
            field=models.CharField(default='keyword-heuristic', help_text='The check-worthiness scorer behind score and reasons: the weights file\'s name and hash, or keyword-heuristic for claims scored before the trained scorer.', max_length=64, verbose_name='scored by'),
            preserve_default=False,
        ),
        migrations.RunPython(
            run_by_vendor({"sqlite": SQLITE_DROP + SQLITE_CLAIM_TRIGGERS}),
            migrations.RunPython.noop,
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='claim',
                    name='scorer_version',
                    field=models.CharField(default=claims.models.current_scorer_version, help_text='The check-worthiness scorer behind score and reasons: the weights file\'s name and hash, or keyword-heuristic for claims scored before the trained scorer.', max_length=64, verbose_name='scored by'),
                ),
            ],
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('article.imported', 'Article imported'), ('article.published', 'Article published'), ('article.corrected', 'Correction published'), ('article.retracted', 'Article retracted'), ('article.reopened', 'Article reopened'), ('claim.taken', 'Claim taken'), ('claim.released', 'Claim released'), ('claim.assigned', 'Claim assigned'), ('claim.reworded', 'Claim reworded'), ('claim.dismissed', 'Claim dismissed'), ('claim.restored', 'Claim restored'), ('source.added', 'Source added'), ('source.removed', 'Source removed'), ('note.added', 'Note added'), ('verdict.proposed', 'Verdict proposed'), ('verdict.changed', 'Verdict changed'), ('verdict.approved', 'Verdict approved'), ('verdict.approved_override', 'Verdict approved (override)'), ('verdict.sent_back', 'Verdict sent back'), ('claim.rescored', 'Claim rescored'), ('rating.created', 'Rating created'), ('rating.changed', 'Rating changed'), ('rating.deleted', 'Rating deleted'), ('login.locked_out', 'Login locked out')], max_length=64, verbose_name='action'),
        ),
    ]
