"""Helpers for the tests of what readers send: a public form as a person fills it in, and
a published fact-check to report errors on."""

from __future__ import annotations

import time

from claims import publishing
from claims.forms import reader_form_token
from tests.workspace import settled_article

TIP = "The mayor said 40,000 people attended the parade on Sunday."


def filled(**fields: str) -> dict[str, str]:
    """A public form's data as a person sends it: the honeypot empty, shown a while ago."""
    return {"website": "", "shown": reader_form_token(time.time() - 30)} | fields


def published(*, editor, reviewer, approver):
    """(article, its approved claim, the publication)."""
    article, claim = settled_article(editor=editor, reviewer=reviewer, approver=approver)
    publication = publishing.article_publish(actor=editor, article=article)
    return article, claim, publication


def report_url(article, claim) -> str:
    return f"/checks/{article.slug}/claims/{claim.ordinal}/report/"
