#!/usr/bin/env python
"""Load test: reviewers at work and public readers reading at the same time, over HTTP.

    python bench/load.py --base-url http://127.0.0.1:8000 [--duration 30]
                         [--reviewers 6] [--readers 6]

It talks plain HTTP to a Factcheck server on this machine only (127.0.0.1 or
localhost), for at most 60 seconds. It also needs the server's database, to make its
data before the clock starts and to count rows afterwards: run it with the server's
environment (`DATABASE_URL`, and `DJANGO_DEBUG=1` or `DJANGO_SECRET_KEY`), from the
project folder with the project's virtualenv. Every run makes its own data through the
services, so runs never depend on each other:

- users `load-editor` and `load-reviewer-1` … `load-reviewer-N`, given a new random
  password each run (never printed);
- a published article for the readers, and an article in review for the reviewers.

Each reviewer logs in at /accounts/login/ and works through its share of the claims as
the htmx workspace does: loads the claim page, takes the claim, adds a source, writes a
note, proposes (or changes) a verdict once there is enough evidence, and signs off a
verdict of the next reviewer's claims. Readers fetch the public pages (index, article,
claim pages, feeds, ClaimReview JSON, sitemap, methodology) and a draft's URL, which
must be a 404. Afterwards it checks that no answer was a 5xx, that the audit chain
verifies, and that the sources, notes, verdicts and audit events (per action) of the
article in review are exactly what the reviewers' successful requests wrote. It exits
non-zero when a check fails.

The server must speak plain HTTP: `make run`, or gunicorn with `DJANGO_HTTPS=0`.
`tests/test_load.py` runs a short version against the test suite's live server.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1", "localhost"}
MAX_DURATION = 60.0
HTMX = {"HX-Request": "true"}
CLAIMS_PER_REVIEWER = 3
STANCES = ("refutes", "context", "supports")
# The answers each page may give without anything being wrong: a versioned write gets 409
# when someone else changed the claim first, a sign-off 422 when the verdict it saw is no
# longer proposed (changed since); a draft's public URL is a 404. Any other page: 200.
OUTCOMES = {
    "login": {302},
    "take": {200, 409},
    "source": {200},
    "note": {200},
    "propose": {200, 409},
    "approve": {200, 409, 422},
    "draft": {404},
}

CLAIM_VERSION = re.compile(r'id="claim-version" value="(\d+)"')
FORM_VERSION = re.compile(r'name="version" value="(\d+)"')
TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


def loopback_url(url: str) -> str:
    """`http://host:port` of `url`, or ValueError unless it is plain HTTP on loopback."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK:
        raise ValueError(
            f"{url!r}: the load test only runs against http://127.0.0.1:PORT or "
            "http://localhost:PORT."
        )
    return f"http://{parts.netloc}"


# --- one client ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    text: str


class Session:
    """One browser: a keep-alive connection with its own cookies (session, CSRF token).

    Servers drop idle keep-alive connections (gunicorn after 2 s), so one idle for more
    than `idle_limit` seconds is reopened before it is used; `None` keeps it open.
    """

    def __init__(self, base_url: str, *, idle_limit: float | None = 1.0):
        parts = urlsplit(loopback_url(base_url))
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
        self.cookies: dict[str, str] = {}
        self.idle_limit = idle_limit
        self.last_used = time.monotonic()

    def get(self, path: str, headers: dict | None = None) -> Answer:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict, headers: dict | None = None) -> Answer:
        """A form post with the CSRF token in its header, as the workspace's htmx sends it."""
        sent = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
            **(headers or {}),
        }
        return self.request("POST", path, urlencode(data), sent)

    def request(self, method: str, path: str, body=None, headers: dict | None = None) -> Answer:
        if self.idle_limit is not None and time.monotonic() - self.last_used > self.idle_limit:
            self.connection.close()
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body, sent)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except TRANSPORT_ERRORS:
            self.connection.close()
            raise
        finally:
            self.last_used = time.monotonic()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value
        return Answer(response.status, text)

    def log_in(self, username: str, password: str) -> tuple[Answer, Answer]:
        """The login page (it sets the CSRF cookie) and the login itself."""
        page = self.get("/accounts/login/")
        answer = self.post("/accounts/login/", {"username": username, "password": password})
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not log in (HTTP {answer.status})")
        return page, answer

    def close(self) -> None:
        self.connection.close()


def version_in(text: str) -> int | None:
    """The claim version a page or panel shows (the status panel's, else a form's)."""
    found = CLAIM_VERSION.search(text) or FORM_VERSION.search(text)
    return int(found.group(1)) if found else None


# --- the plan: data made through the services ---------------------------------------------


@dataclass(frozen=True)
class Plan:
    """Who logs in and what they work on and read; made by `prepare()`."""

    password: str
    reviewers: list[str]
    work_article_id: int
    work_slug: str
    work_claims: list[int]
    rating_id: int
    published_slug: str
    published_ordinals: list[int]
    setup_seq: int  # the audit chain's last event before the clients start

    def claims_of(self, index: int) -> list[int]:
        return self.work_claims[index :: len(self.reviewers)]

    def public_pages(self) -> list[tuple[str, str]]:
        """(page, path) of everything a reader may fetch."""
        article = f"/checks/{self.published_slug}/"
        return [
            ("index", "/checks/"),
            ("article", article),
            *(("public claim", f"{article}claims/{n}/") for n in self.published_ordinals),
            ("feed", "/checks/feed/"),
            ("corrections feed", "/checks/corrections/feed/"),
            ("claimreview.json", "/checks/claimreview.json"),
            ("sitemap", "/sitemap.xml"),
            ("methodology", "/checks/methodology/"),
        ]


def article_text(token: str, claims: int) -> str:
    """`claims` check-worthy sentences, one paragraph each, under a heading unique to the run
    (headings are kept but dismissed, so the token only makes the text new)."""
    sentences = [
        f"The council said on Monday that {n + 3} bridges in Exampleton will close in 2025."
        for n in range(claims)
    ]
    return "\n\n".join([f"Load run {token}", *sentences])


def _desk_user(username: str, group: str, password: str):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": "Load", "last_name": username[5:].title()}
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=group))
    return user


def prepare(*, reviewers: int) -> Plan:
    """Users, a published article and an article in review, all through the services."""
    from django.db.models import Max

    from claims import publishing, review, snapshot
    from claims.importing import article_import
    from claims.models import AuditEvent, Rating

    if reviewers < 2:
        raise ValueError("At least two reviewers: each signs off another's verdicts.")
    token, password = secrets.token_hex(4), secrets.token_urlsafe(16)
    editor = _desk_user("load-editor", "Editors", password)
    numbers = range(1, reviewers + 1)
    desk = [_desk_user(f"load-reviewer-{n}", "Reviewers", password) for n in numbers]
    rating = Rating.objects.get(slug="false")

    published = article_import(
        data=article_text(f"{token} published", 3), actor=editor, title=f"Load {token} published"
    ).article
    for claim in published.claims.check_worthy():
        for stance in ("refutes", "context"):
            review.claim_add_source(
                actor=editor,
                claim=claim,
                url="https://evidence.example/",
                title="Minutes",
                stance=stance,
            )
        claim.refresh_from_db()
        review.claim_propose_verdict(
            actor=editor,
            claim=claim,
            rating=rating,
            summary="No bridge closes.",
            rationale="The council's minutes say otherwise.",
            version=claim.version,
        )
        claim.refresh_from_db()
        review.claim_approve_verdict(actor=desk[0], claim=claim, version=claim.version)
    publication = publishing.article_publish(actor=editor, article=published)

    work = article_import(
        data=article_text(f"{token} in review", CLAIMS_PER_REVIEWER * reviewers),
        actor=editor,
        title=f"Load {token} in review",
    ).article
    return Plan(
        password=password,
        reviewers=[user.username for user in desk],
        work_article_id=work.pk,
        work_slug=work.slug,
        work_claims=list(
            work.claims.check_worthy().order_by("ordinal").values_list("pk", flat=True)
        ),
        rating_id=rating.pk,
        published_slug=published.slug,
        published_ordinals=list(snapshot.load_summary(publication.summary).ordinals),
        setup_seq=AuditEvent.objects.aggregate(last=Max("seq"))["last"],
    )


# --- the clients ----------------------------------------------------------------------------


@dataclass
class Tally:
    """What one client (or all, merged) saw: answers by (page, status), successful writes
    by the audit action they should have written, and errors (no answer, or a client that
    could not go on)."""

    answers: Counter = field(default_factory=Counter)
    writes: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def merge(self, other: Tally) -> None:
        self.answers.update(other.answers)
        self.writes.update(other.writes)
        self.errors.extend(other.errors)


class Client:
    def __init__(self, base_url: str, plan: Plan, index: int):
        self.session = Session(base_url)
        self.plan, self.index = plan, index
        self.turn = 0
        self.tally = Tally()

    def get(self, page: str, path: str, headers: dict | None = None) -> Answer:
        answer = self.session.get(path, headers)
        self.tally.answers[page, answer.status] += 1
        return answer

    def post(self, page: str, path: str, data: dict, action: str) -> Answer:
        answer = self.session.post(path, data, HTMX)
        self.tally.answers[page, answer.status] += 1
        if answer.status == 200:
            self.tally.writes[action] += 1
        return answer

    def run(self, start: threading.Barrier, deadline: list[float]) -> None:
        try:
            self.log_in()
            start.wait()
            while time.monotonic() < deadline[0]:
                try:
                    self.step()
                except TRANSPORT_ERRORS as error:
                    self.tally.errors.append(f"{type(error).__name__}: {error}")
        except Exception as error:  # the report shows it; the thread must not die silently
            self.tally.errors.append(f"{type(error).__name__}: {error}")
            start.abort()
        finally:
            self.session.close()

    def log_in(self) -> None:
        pass

    def step(self) -> None:
        raise NotImplementedError


class Reader(Client):
    """An anonymous reader going round the public pages and a draft's URL (a 404), each
    reader starting at another page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pages = [*self.plan.public_pages(), ("draft", f"/checks/{self.plan.work_slug}/")]

    def step(self) -> None:
        self.get(*self.pages[(self.index + self.turn) % len(self.pages)])
        self.turn += 1


class Reviewer(Client):
    """A reviewer working through its claims, and signing off the next reviewer's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mine = self.plan.claims_of(self.index)
        self.neighbours = self.plan.claims_of((self.index + 1) % len(self.plan.reviewers))
        self.sources = dict.fromkeys(self.mine, 0)  # added by this reviewer, the only one
        self.proposed: set[int] = set()  # only this reviewer proposes on its claims

    def log_in(self) -> None:
        answers = self.session.log_in(self.plan.reviewers[self.index], self.plan.password)
        for page, answer in zip(("login page", "login"), answers, strict=True):
            self.tally.answers[page, answer.status] += 1

    def step(self) -> None:
        turn = self.turn
        self.turn += 1
        self.work_on(self.mine[turn % len(self.mine)])
        # The next reviewer works at the same pace: the claim it had the turn before
        # most likely has a proposed verdict by now.
        self.sign_off(self.neighbours[(turn - 1) % len(self.neighbours)])
        if turn % 5 == 4:
            self.get("board", f"/review/articles/{self.plan.work_slug}/")

    def work_on(self, pk: int) -> None:
        url = f"/review/claims/{pk}/"
        page = self.get("claim page", url).text
        version = version_in(page)
        if f'action="{url}take"' in page:  # as a person does: only when it is offered
            taken = self.post("take", f"{url}take", {"version": version}, "claim.taken")
            version = version_in(taken.text) or version
        # The evidence gate: a scalar verdict needs two sources, one of them decisive; so
        # the first visit adds two (the first refuting), later ones one more.
        for _ in range(1 if self.sources[pk] else 2):
            source = {
                "url": f"https://evidence.example/{pk}",
                "title": "Minutes",
                "accessed_on": "2025-01-15",
                "stance": STANCES[self.sources[pk] % len(STANCES)],
            }
            added = self.post("source", f"{url}sources", source, "source.added")
            if added.status == 200:
                self.sources[pk] += 1
                version = version_in(added.text) or version  # a source moves the version
        self.post("note", f"{url}notes", {"body": f"Checked turn {self.turn}."}, "note.added")
        if self.sources[pk] < 2:
            return
        verdict = {
            "rating": self.plan.rating_id,
            "summary": "No bridge closes.",
            "rationale": f"Minutes, turn {self.turn}.",
            "version": version,
        }
        action = "verdict.changed" if pk in self.proposed else "verdict.proposed"
        if self.post("propose", f"{url}verdict", verdict, action).status == 200:
            self.proposed.add(pk)

    def sign_off(self, pk: int) -> None:
        url = f"/review/claims/{pk}/"
        panel = self.get("signoff panel", f"{url}?panel=signoff", HTMX).text
        if f'action="{url}approve"' in panel:
            data = {"version": version_in(panel)}
            self.post("approve", f"{url}approve", data, "verdict.approved")


def drive(base_url: str, plan: Plan, *, duration: float, readers: int) -> tuple[Tally, float]:
    """Run the reviewers and readers for `duration` seconds from when all have logged in.

    Returns the merged tally and the seconds the clients actually ran.
    """
    if not 0 < duration <= MAX_DURATION:
        raise ValueError(f"duration must be more than 0 and at most {MAX_DURATION:.0f} seconds")
    clients: list[Client] = [Reviewer(base_url, plan, n) for n in range(len(plan.reviewers))] + [
        Reader(base_url, plan, n) for n in range(readers)
    ]
    deadline, began = [float("inf")], [time.monotonic()]

    def started() -> None:
        began[0] = time.monotonic()
        deadline[0] = began[0] + duration

    start = threading.Barrier(len(clients), action=started)
    threads = [threading.Thread(target=c.run, args=(start, deadline)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=MAX_DURATION + 60)
    tally = Tally()
    for client in clients:
        tally.merge(client.tally)
    return tally, time.monotonic() - began[0]


# --- the checks -----------------------------------------------------------------------------


@dataclass
class Report:
    tally: Tally
    seconds: float
    events: Counter
    rows: dict[str, int]
    chain_ok: bool
    chain_count: int
    problems: list[str]

    @property
    def requests(self) -> int:
        return sum(self.tally.answers.values())

    @property
    def server_errors(self) -> int:
        return sum(n for (_, status), n in self.tally.answers.items() if status >= 500)

    def __str__(self) -> str:
        rate = self.requests / self.seconds if self.seconds else 0.0
        lines = [
            f"{self.requests} requests in {self.seconds:.1f} s ({rate:.0f}/s); "
            f"5xx: {self.server_errors}; client errors: {len(self.tally.errors)}",
            "answers:",
            *(
                f"  {page:<22} {status}  {n}"
                for (page, status), n in sorted(self.tally.answers.items())
            ),
            "writes that succeeded (= audit events of the article in review):",
            *(
                f"  {action:<22} {n:>6}  events {self.events[action]}"
                for action, n in sorted(self.tally.writes.items())
            ),
            "rows of the article in review: "
            + ", ".join(f"{name} {n}" for name, n in self.rows.items()),
            f"audit chain: {'verified' if self.chain_ok else 'BROKEN'}, {self.chain_count} events",
        ]
        if self.problems:
            lines += ["PROBLEMS:", *(f"  {p}" for p in self.problems)]
        else:
            lines.append("all checks passed")
        return "\n".join(lines)


def verify(plan: Plan, tally: Tally, seconds: float = 0.0) -> Report:
    """Compare what the clients did with what the database holds."""
    from claims import audit
    from claims.models import AuditEvent, Note, Source, Verdict

    chain = audit.verify_chain()
    on_work = {"claim__article_id": plan.work_article_id}
    events = Counter(
        AuditEvent.objects.filter(
            article_id=plan.work_article_id, seq__gt=plan.setup_seq
        ).values_list("action", flat=True)
    )
    rows = {
        "sources": Source.objects.filter(**on_work).count(),
        "notes": Note.objects.filter(**on_work).count(),
        "verdicts": Verdict.objects.filter(**on_work).count(),
    }
    report = Report(tally, seconds, events, rows, chain.ok, chain.count, [])
    problems = report.problems
    if report.server_errors:
        problems.append(f"{report.server_errors} answers were 5xx")
    if tally.errors:
        problems.append(f"{len(tally.errors)} client errors, first: {tally.errors[0]}")
    odd = {(p, s): n for (p, s), n in tally.answers.items() if s not in OUTCOMES.get(p, {200})}
    if odd:
        problems.append(f"unexpected answers: {odd}")
    if not chain.ok:
        problems.append(f"audit chain broken at event {chain.broken_seq}: {chain.problem}")
    if events != tally.writes:
        problems.append(f"audit events {dict(events)} != successful writes {dict(tally.writes)}")
    expected_rows = {
        "sources": tally.writes["source.added"],
        "notes": tally.writes["note.added"],
        "verdicts": tally.writes["verdict.proposed"],
    }
    if rows != expected_rows:
        problems.append(f"rows {rows} != successful writes {expected_rows}")
    if not tally.writes:
        problems.append("no write succeeded")
    return report


# --- standalone -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds, at most 60")
    parser.add_argument("--reviewers", type=int, default=6)
    parser.add_argument("--readers", type=int, default=6)
    args = parser.parse_args(argv)
    try:
        base_url = loopback_url(args.base_url)
    except ValueError as error:
        parser.error(str(error))
    if not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--duration must be more than 0 and at most {MAX_DURATION:.0f}")
    if args.reviewers < 2 or args.readers < 0:
        parser.error("--reviewers must be at least 2 and --readers at least 0")

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    plan = prepare(reviewers=args.reviewers)
    tally, seconds = drive(base_url, plan, duration=args.duration, readers=args.readers)
    report = verify(plan, tally, seconds)
    print(report)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
