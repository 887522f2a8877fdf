"""The publication snapshot's shape, and the one way to write and read it.

Publishing builds a `Snapshot` and stores `dump(snapshot)` in `Publication.snapshot`
(a JSON column); the public pages, feeds, ClaimReview data and the export read it back
with `load()`. Dates and times come back as `datetime.date` and `datetime.datetime`
because the fields are typed so, whatever they are called. The verdict counts stored
beside it in `Publication.summary` (so lists and feeds need not load a snapshot of
megabytes) are a `Summary`, with `dump_summary()` and `load_summary()`.

Stored shape, format 1, the only one so far (every publication since the first has
it): the fields below under the same names; dates as `YYYY-MM-DD`, times in UTC as
`isotime()` writes them; tuples as lists; plus `"format": 1`. A field with a default may
be missing (it was added later: publications written before it read back with the
default; and it is written only when it differs from its default), so adding one keeps
the format. Any other change of shape gets a new format
number, and `load()` keeps reading every earlier one: publications are immutable, so
the old shapes stay in the database for good.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections import Counter
from collections.abc import Callable
from functools import cache
from typing import Any

FORMAT = 1


@dataclasses.dataclass(frozen=True, slots=True)
class SnapshotArticle:
    title: str
    slug: str
    publisher: str
    author: str
    url: str
    published_on: dt.date | None
    language: str
    body: str


@dataclasses.dataclass(frozen=True, slots=True)
class SnapshotRating:
    """The rating as it was defined when the claim was published."""

    label: str
    slug: str
    definition: str
    colour: str
    rating_value: int | None  # None for an off-scale rating ("Unproven")
    best: int | None
    worst: int | None


@dataclasses.dataclass(frozen=True, slots=True)
class SnapshotSource:
    url: str
    title: str
    publisher: str
    published_on: dt.date | None
    accessed_on: dt.date
    excerpt: str
    stance: str
    # The archived copies readers may open (since issue 16; publications before it have
    # none, and read back with these defaults): the source's id (its public snapshot
    # page, /checks/sources/<id>/snapshot/), the snapshot shown there and its hash and
    # time, and the Internet Archive's copy.
    source_id: int = 0
    snapshot_id: int = 0
    sha256: str = ""
    captured_at: dt.datetime | None = None
    archive_url: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class SnapshotClaim:
    ordinal: int
    start: int  # the claim's span in the article body: body[start:end]
    end: int
    text: str
    wording: str
    rating: SnapshotRating
    summary: str
    rationale: str
    proposed_by: str  # public names, never emails
    approved_by: str
    proposed_at: dt.datetime
    approved_at: dt.datetime | None
    first_published_at: dt.datetime  # kept from version to version: ClaimReview's datePublished
    sources: tuple[SnapshotSource, ...]
    # Who made the claim, where and when it appeared (since issue 19; publications before
    # it read back with these defaults: no claimant, and the article's address and date).
    # `appearance_url` and `appeared_on` are as readers saw them: the article's when the
    # reviewers gave none.
    claimant: str = ""
    claimant_kind: str = ""  # "Person" or "Organization", ClaimReview's types
    claimant_role: str = ""
    appearance_url: str = ""
    appeared_on: dt.date | None = None
    # The reviewer's and approver's entries on the team page (/checks/team/#person-<slug>),
    # for those who had a public profile when it was published (since issue 18's photos;
    # before, and for members without one, "": their names are not linked).
    proposed_by_slug: str = ""
    approved_by_slug: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything public about an article at one publication. Never internal notes."""

    organisation: str
    article: SnapshotArticle
    fact_checkers: tuple[str, ...]
    claims: tuple[SnapshotClaim, ...]  # in ordinal order


@dataclasses.dataclass(frozen=True, slots=True)
class VerdictCount:
    label: str
    colour: str
    n: int


@dataclasses.dataclass(frozen=True, slots=True)
class Summary:
    """A publication's claim ordinals and verdict counts, best rating first."""

    ordinals: tuple[int, ...] = ()
    counts: tuple[VerdictCount, ...] = ()


class SnapshotError(ValueError):
    pass


def isotime(value: dt.datetime) -> str:
    """A time as snapshots (and ClaimReview data) write it: UTC, to the microsecond."""
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


# --- the snapshot ----------------------------------------------------------------------------


def dump(snapshot: Snapshot) -> dict[str, Any]:
    """`snapshot` as JSON-ready data, in the current format."""
    return {"format": FORMAT} | _write(snapshot)


def load(data: dict[str, Any]) -> Snapshot:
    """A stored snapshot, of any format written so far, as a `Snapshot`."""
    stored = data.get("format")
    if stored != FORMAT:
        raise SnapshotError(
            f"This publication snapshot has format {stored!r}; this release reads format "
            f"{FORMAT}. Deploy the release that wrote it, or teach snapshot.load() its shape."
        )
    try:
        return _dataclass_reader(Snapshot)(data)
    except (KeyError, TypeError, ValueError) as error:
        raise SnapshotError(f"Not a publication snapshot of format {FORMAT}: {error!r}") from error


def _write(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # A field at its default is left out, as publications before the field had it.
        return {
            f.name: _write(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.default is dataclasses.MISSING or getattr(value, f.name) != f.default
        }
    if isinstance(value, tuple):
        return [_write(item) for item in value]
    if isinstance(value, dt.datetime):  # before date: a datetime is a date too
        return isotime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@cache
def _dataclass_reader(kind: type) -> Callable[[dict[str, Any]], Any]:
    """A function that makes a `kind` from its stored fields, each read by its type."""
    hints = typing.get_type_hints(kind)
    names = [field.name for field in dataclasses.fields(kind)]
    # Fields added later, with a default: older snapshots don't have them.
    optional = {f.name for f in dataclasses.fields(kind) if f.default is not dataclasses.MISSING}
    plain = [name for name in names if _reader(hints[name]) is None]
    converted = [(name, read) for name in names if (read := _reader(hints[name]))]

    def read_dataclass(value: dict[str, Any]) -> Any:
        fields = {name: value[name] for name in plain if name in value or name not in optional}
        for name, read in converted:
            if name in value or name not in optional:
                fields[name] = read(value[name])
        return kind(**fields)

    return read_dataclass


@cache
def _reader(kind: Any) -> Callable[[Any], Any] | None:
    """A function that turns stored JSON into `kind`, a field's type; None where JSON
    already has the type (str, int, bool), which is most fields."""
    if kind in (str, int, bool):
        return None
    if typing.get_origin(kind) is types.UnionType:  # `T | None`
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        read_inner = _reader(inner)
        if read_inner is None:
            return None
        return lambda value: None if value is None else read_inner(value)
    if typing.get_origin(kind) is tuple:  # `tuple[T, ...]`
        read_item = _reader(typing.get_args(kind)[0])
        if read_item is None:
            return tuple
        return lambda value: tuple(read_item(item) for item in value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _dataclass_reader(kind)
    if kind is dt.datetime:
        return dt.datetime.fromisoformat
    if kind is dt.date:
        return dt.date.fromisoformat
    raise TypeError(f"A snapshot field can't have the type {kind!r}")


# --- the summary -----------------------------------------------------------------------------


def summarise(snapshot: Snapshot) -> Summary:
    """The claim ordinals and the verdict counts in scale order (best first, off-scale last)."""
    ratings: dict[str, SnapshotRating] = {}
    for claim in snapshot.claims:
        ratings.setdefault(claim.rating.label, claim.rating)
    n = Counter(claim.rating.label for claim in snapshot.claims)
    ordered = sorted(
        ratings.values(),
        key=lambda r: (r.rating_value is None, -(r.rating_value or 0), r.label),
    )
    return Summary(
        ordinals=tuple(claim.ordinal for claim in snapshot.claims),
        counts=tuple(VerdictCount(r.label, r.colour, n[r.label]) for r in ordered),
    )


def dump_summary(summary: Summary) -> dict[str, Any]:
    """Stored as `{ordinals: [n, …], counts: [[label, colour, n], …]}`, as since the start."""
    return {
        "ordinals": list(summary.ordinals),
        "counts": [[count.label, count.colour, count.n] for count in summary.counts],
    }


def load_summary(data: dict[str, Any]) -> Summary:
    """The stored summary; `{}` (the column's default) is an empty one."""
    counts = []
    for label, colour, n in data.get("counts", []):
        counts.append(VerdictCount(label=label, colour=colour, n=n))
    return Summary(ordinals=tuple(data.get("ordinals", [])), counts=tuple(counts))
