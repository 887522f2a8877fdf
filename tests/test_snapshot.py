"""The publication snapshot's one shape: dump, load, the summary, and the stored format 1."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims import snapshot
from claims.snapshot import (
    Snapshot,
    SnapshotArticle,
    SnapshotClaim,
    SnapshotError,
    SnapshotRating,
    SnapshotSource,
    Summary,
    VerdictCount,
)

# A snapshot in the shape the release before claims/snapshot.py stored: a real one written
# by that code (the bench's article), cut to two claims, with some values edited (an
# off-scale rating, a source's metadata, the article's): the column's JSON, times in UTC.
FORMAT_1 = (Path(__file__).parent / "data" / "snapshot-format-1.json").read_text()
FORMAT_1_SUMMARY = {
    "ordinals": [1, 2],
    "counts": [["True", "#1a7f37", 1], ["Unproven", "#6e7781", 1]],
}


def test_a_stored_format_1_snapshot_loads_with_dates_as_dates():
    loaded = snapshot.load(json.loads(FORMAT_1))
    assert loaded.article.published_on == dt.date(2025, 2, 27)
    first, second = loaded.claims
    assert first.first_published_at == dt.datetime(2026, 11, 28, 12, 44, 12, 281047, tzinfo=dt.UTC)
    assert first.sources[0].published_on == dt.date(2025, 1, 10)
    assert first.sources[0].accessed_on == dt.date(2026, 11, 27)
    assert first.sources[1].published_on is None
    assert second.rating.rating_value is None
    assert loaded.fact_checkers == ("Jenna Warren", "Renee Stewart")


def test_dumping_a_loaded_snapshot_gives_back_the_stored_json_exactly():
    """The stored shape is unchanged: a time is written digit for digit as it was read."""
    stored = json.loads(FORMAT_1)
    assert snapshot.dump(snapshot.load(stored)) == stored


def test_a_snapshot_of_an_unknown_format_is_refused_with_what_to_do():
    stored = json.loads(FORMAT_1) | {"format": 2}
    with pytest.raises(SnapshotError, match=r"format 2; this release reads format 1\. Deploy"):
        snapshot.load(stored)


def test_a_snapshot_missing_a_field_is_refused_naming_it():
    stored = json.loads(FORMAT_1)
    del stored["claims"][1]["rationale"]
    with pytest.raises(SnapshotError, match="rationale"):
        snapshot.load(stored)


def test_the_summary_counts_best_first_and_off_scale_last():
    loaded = snapshot.load(json.loads(FORMAT_1))
    false = SnapshotRating("False", "false", "Wrong.", "#cf222e", 1, 5, 1)
    third = dataclasses.replace(loaded.claims[0], ordinal=3, rating=false)
    summary = snapshot.summarise(dataclasses.replace(loaded, claims=(*loaded.claims, third)))
    assert summary == Summary(
        ordinals=(1, 2, 3),
        counts=(
            VerdictCount("True", "#1a7f37", 1),
            VerdictCount("False", "#cf222e", 1),
            VerdictCount("Unproven", "#6e7781", 1),
        ),
    )


def test_the_stored_summary_loads_and_an_empty_one_is_empty():
    assert snapshot.load_summary(FORMAT_1_SUMMARY).counts[0] == VerdictCount("True", "#1a7f37", 1)
    assert snapshot.dump_summary(snapshot.load_summary(FORMAT_1_SUMMARY)) == FORMAT_1_SUMMARY
    assert snapshot.load_summary({}) == Summary()


# --- any snapshot survives the JSON column ------------------------------------------------

OFFSETS = [
    dt.UTC,
    dt.timezone(dt.timedelta(hours=5, minutes=30)),
    dt.timezone(-dt.timedelta(hours=8)),
]
times = st.datetimes(
    min_value=dt.datetime(1900, 1, 1),
    max_value=dt.datetime(2200, 1, 1),
    timezones=st.sampled_from(OFFSETS),
)
dates = st.dates()
ratings = st.builds(
    SnapshotRating,
    rating_value=st.none() | st.integers(1, 5),
    best=st.none() | st.just(5),
    worst=st.none() | st.just(1),
)
sources = st.builds(SnapshotSource, published_on=st.none() | dates, accessed_on=dates)
claims = st.builds(
    SnapshotClaim,
    rating=ratings,
    proposed_at=times,
    approved_at=st.none() | times,
    first_published_at=times,
    sources=st.lists(sources, max_size=3).map(tuple),
    claimant=st.text(max_size=20),
    claimant_kind=st.sampled_from(["", "Person", "Organization"]),
    appeared_on=st.none() | dates,
)
snapshots = st.builds(
    Snapshot,
    article=st.builds(SnapshotArticle, published_on=st.none() | dates),
    fact_checkers=st.lists(st.text()).map(tuple),
    claims=st.lists(claims, max_size=4).map(tuple),
)


@given(snapshots)
def test_any_snapshot_round_trips_through_json_with_its_dates(original):
    stored = json.loads(json.dumps(snapshot.dump(original)))
    assert snapshot.load(stored) == original  # a date equals no string, nor a datetime


@given(
    st.builds(
        Summary,
        ordinals=st.lists(st.integers(1, 10_000)).map(tuple),
        counts=st.lists(st.builds(VerdictCount)).map(tuple),
    )
)
def test_any_summary_round_trips_through_json(original):
    assert (
        snapshot.load_summary(json.loads(json.dumps(snapshot.dump_summary(original)))) == original
    )
