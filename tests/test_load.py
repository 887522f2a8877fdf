"""The load test, short: reviewers working and readers reading at once on the live server."""

from __future__ import annotations

import pytest

from bench import load

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.slow  # a 5-second load run against a live server
def test_reviewers_and_readers_at_once_get_no_5xx_and_every_write_is_in_the_database(server):
    plan = load.prepare(reviewers=4)

    tally, seconds = load.drive(server, plan, duration=5, readers=4)
    report = load.verify(plan, tally, seconds)

    assert report.problems == [], str(report)
    assert report.server_errors == 0
    assert report.chain_ok
    for action in ("claim.taken", "source.added", "note.added", "verdict.proposed"):
        assert tally.writes[action] > 0, action
    assert tally.answers["article", 200] > 0
    assert tally.answers["draft", 404] > 0


@pytest.mark.parametrize(
    "url",
    ["http://example.com:8000", "https://127.0.0.1:8000", "http://10.0.0.1", "ftp://localhost"],
)
def test_it_refuses_any_server_but_loopback(url, capsys):
    with pytest.raises(SystemExit):
        load.main(["--base-url", url])
    assert "only runs against http://127.0.0.1:PORT" in capsys.readouterr().err


@pytest.mark.parametrize("duration", ["0", "61", "3600"])
def test_it_refuses_to_run_longer_than_a_minute(duration, capsys):
    with pytest.raises(SystemExit):
        load.main(["--base-url", "http://127.0.0.1:8000", "--duration", duration])
    assert "at most 60" in capsys.readouterr().err
