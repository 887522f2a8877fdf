"""Helpers for the tests of what readers send and see: a public form as a person fills it
in, a published fact-check to report errors on, a team member's photo."""

from __future__ import annotations

import io
import time

from PIL import Image, ImageDraw

from claims import publishing
from claims.forms import reader_form_token
from tests.workspace import settled_article

# Written into a photo's EXIF (description, and a GPS position): never stored.
SECRET = "Home, 12 Quay Street"
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


def photo_bytes(kind: str = "JPEG", size=(400, 300), exif: bool = True, mode="RGB") -> bytes:
    """An image as a phone would send it: with a description and a GPS position in its
    EXIF (unless `exif=False`)."""
    image = Image.new(mode, size, "teal")
    if mode == "RGB":
        width, height = size
        ImageDraw.Draw(image).ellipse(
            (width * 0.3, height * 0.15, width * 0.7, height * 0.65), fill="wheat"
        )
    out = io.BytesIO()
    params = {}
    if exif:
        tags = Image.Exif()
        tags[0x010E] = SECRET  # ImageDescription
        tags.get_ifd(0x8825)[2] = (51.0, 30.0, 12.5)  # the GPS block's latitude
        params["exif"] = tags.tobytes()
    image.save(out, format=kind, **params)
    return out.getvalue()
