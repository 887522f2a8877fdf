"""What a correction would change for readers (claims/differences.py), on any snapshot."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from claims.differences import differences
from tests.test_snapshot import snapshots as any_snapshots

# As publishing makes them: one claim to an ordinal.
snapshots = any_snapshots.filter(lambda s: len({c.ordinal for c in s.claims}) == len(s.claims))


@given(snapshots)
def test_a_snapshot_against_itself_changes_nothing(snap):
    assert differences(snap, snap) == []


@given(snapshots.filter(lambda s: s.claims), st.text(min_size=1, max_size=20))
def test_a_new_claimant_is_the_one_difference(snap, name):
    first = snap.claims[0]
    changed = dataclasses.replace(
        first, claimant=first.claimant + name, claimant_kind="Organization"
    )
    other = dataclasses.replace(snap, claims=(changed, *snap.claims[1:]))
    found = [d for d in differences(snap, other) if d.where == f"Claim {first.ordinal}"]
    assert [d.what for d in found] == ["claim made by"]
    assert found[0].after.startswith(first.claimant + name)


@given(snapshots, st.text(min_size=1, max_size=20))
def test_a_retitled_article_is_a_difference_and_nothing_else(snap, suffix):
    other = dataclasses.replace(
        snap, article=dataclasses.replace(snap.article, title=snap.article.title + suffix)
    )
    (found,) = differences(snap, other)
    assert (found.where, found.what) == ("Article", "title")
