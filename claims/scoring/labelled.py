"""Labelled sentences in the CheckThat! TSV format: `Sentence_id`, `Text`, `class_label`.

One reader and one writer for the training command, `evaluate_checkworthiness` and
`export_checkworthiness_labels`, so the three always agree on the format.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("Sentence_id", "Text", "class_label")
LABELS = {"Yes": True, "No": False}


class LabelledDataError(Exception):
    """A labelled file that can't be read; the message is one line that says why."""


@dataclass(frozen=True)
class Labelled:
    id: str
    text: str
    worthy: bool


def read(path: str | Path) -> list[Labelled]:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LabelledDataError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise LabelledDataError(f"{path} is a folder; give a .tsv file.") from None
    except OSError as error:
        raise LabelledDataError(f"{path} can't be read: {error.strerror}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LabelledDataError(f"{path} is not UTF-8 text.") from None
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter="\t")
    columns = tuple(reader.fieldnames or ())
    if missing := [c for c in COLUMNS if c not in columns]:
        raise LabelledDataError(
            f"{path} has no column {', '.join(missing)}: it needs the tab-separated "
            f"columns {', '.join(COLUMNS)} (found {', '.join(columns) or 'none'})."
        )
    rows = []
    for row in reader:
        line = reader.line_num
        if None in row:
            raise LabelledDataError(
                f"{path} line {line} has more than {len(columns)} tab-separated fields "
                "(two rows run together?)."
            )
        label = (row["class_label"] or "").strip()
        if label not in LABELS:
            raise LabelledDataError(
                f"{path} line {line}: class_label is {label!r}; it must be Yes or No."
            )
        rows.append(Labelled(str(row["Sentence_id"]), row["Text"] or "", LABELS[label]))
    if not rows:
        raise LabelledDataError(f"{path} has a header but no sentences.")
    return rows


def write(rows: Iterable[Labelled], out: io.TextIOBase | io.StringIO) -> int:
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([row.id, row.text, "Yes" if row.worthy else "No"])
        count += 1
    return count
