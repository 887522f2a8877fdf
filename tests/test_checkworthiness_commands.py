"""evaluate_checkworthiness, train_checkworthiness and export_checkworthiness_labels."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from claims import review
from claims.scoring.training import DEV_PATH, TRAIN_PATH
from tests.factories import ArticleFactory

BASE = Path(settings.BASE_DIR)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def manage(*args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"DJANGO_DEBUG": "1"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_the_scorer_reaches_its_targets_on_the_dev_set():
    result = json.loads(run("evaluate_checkworthiness", str(DEV_PATH), "--json"))
    assert set(result) == {"precision", "recall", "f1", "auc", "threshold", "n"}
    assert result["n"] == 1032
    assert result["threshold"] == settings.FACTCHECK_CHECKWORTHY_THRESHOLD
    assert result["f1"] >= 0.85
    assert result["auc"] >= 0.95


def test_the_report_names_every_measure_and_the_confusion_matrix():
    out = run("evaluate_checkworthiness", str(DEV_PATH))
    for label in ("precision", "recall", "F1", "ROC-AUC", "best F1", "confusion"):
        assert label in out
    tp, fn = (int(n) for n in out.split("  Yes")[1].split()[:2])
    fp, tn = (int(n) for n in out.split("  No ")[1].split()[:2])
    assert (tp + fn, fp + tn) == (238, 794)


def test_the_old_heuristic_can_be_measured_as_the_baseline():
    result = json.loads(
        run("evaluate_checkworthiness", str(DEV_PATH), "--json", "--model", "heuristic")
    )
    trained = json.loads(run("evaluate_checkworthiness", str(DEV_PATH), "--json"))
    assert result["auc"] < trained["auc"]


def test_measures_are_right_on_a_small_worked_example(tmp_path):
    path = tmp_path / "four.tsv"
    path.write_text(
        "Sentence_id\tText\tclass_label\n"
        "1\tUnemployment rose to 7.8 percent in 2009, the Labor Department said.\tYes\n"
        "2\tThe deficit tripled to $1.4 trillion between 2007 and 2009.\tYes\n"
        "3\tThank you very much.\tNo\n"
        "4\tI think we should be proud.\tNo\n"
    )
    result = json.loads(run("evaluate_checkworthiness", str(path), "--json"))
    assert result == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "auc": 1.0,
        "threshold": settings.FACTCHECK_CHECKWORTHY_THRESHOLD,
        "n": 4,
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("Sentence_id\tSentence\tlabel\n1\tA.\tYes\n", "has no column Text, class_label"),
        ("Sentence_id\tText\tclass_label\n", "has a header but no sentences"),
        ("Sentence_id\tText\tclass_label\n1\tA.\tMaybe\n", "line 2: class_label is 'Maybe'"),
        ("Sentence_id\tText\tclass_label\n1\tA.\tNo2\tB.\tNo\n", "line 2 has more than 3"),
        (b"\xff\xfe\x00bad", "is not UTF-8 text"),
    ],
)
def test_bad_input_is_a_one_line_error_and_exit_1(tmp_path, content, message):
    path = tmp_path / "labels.tsv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(CommandError, match=message):
        run("evaluate_checkworthiness", str(path))
    done = manage("evaluate_checkworthiness", str(path), "--json")
    assert done.returncode == 1
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert message in done.stderr


def test_the_shipped_data_is_the_shared_corpus_with_its_provenance():
    readme = (TRAIN_PATH.parent / "README.md").read_text()
    assert "ClaimBuster" in readme
    assert "10.5281/zenodo.3609356" in readme
    assert "isyufeng/FactFinders" in readme
    assert sum(1 for _ in TRAIN_PATH.open()) == 22502  # header + 22,501 sentences
    assert sum(1 for _ in DEV_PATH.open()) == 1033


def test_training_refuses_a_bad_extra_file(tmp_path):
    pytest.importorskip("sklearn")
    with pytest.raises(CommandError, match="no such file"):
        run("train_checkworthiness", "--extra-training", str(tmp_path / "nope.tsv"))


def test_the_desks_decisions_are_exported_as_labels(db, editor, tmp_path):
    article = ArticleFactory()
    worthy, opinion, *_ = article.claims.order_by("ordinal")
    assert opinion.status == "dismissed"
    worthy = review.claim_dismiss(actor=editor, claim=worthy, reason="Satire", version=1)
    worthy = review.claim_restore(actor=editor, claim=worthy, version=worthy.version)
    review.claim_restore(actor=editor, claim=opinion, version=opinion.version)
    third = article.claims.get(ordinal=3)
    review.claim_dismiss(actor=editor, claim=third, reason="Not ours", version=third.version)

    out = run("export_checkworthiness_labels")
    lines = out.splitlines()
    assert lines[0] == "Sentence_id\tText\tclass_label"
    assert sorted(lines[1:]) == sorted(
        [
            f"{worthy.pk}\t{worthy.text}\tYes",
            f"{opinion.pk}\t{opinion.text}\tYes",
            f"{third.pk}\t{third.text}\tNo",
        ]
    )
    path = tmp_path / "desk.tsv"
    call_command("export_checkworthiness_labels", "--out", str(path))
    assert path.read_text() == out
    result = json.loads(run("evaluate_checkworthiness", str(path), "--json"))
    assert result["n"] == 3
