"""Team photos: checked, then stored re-encoded.

A photo must be a real JPEG, PNG or WebP image, at most MAX_BYTES and MAX_SIDE pixels a
side (checked from its header, before any pixel is decoded: a small file can unpack to
gigabytes). What is stored is not the upload but Pillow's re-encoding of its pixels,
turned upright and scaled to STORED_SIDE: no EXIF (a phone's photo says where it was
taken), XMP, comments or colour profiles survive. It is named by the hash of its bytes.
"""

from __future__ import annotations

import hashlib
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 6_000
MIN_SIDE = 64
STORED_SIDE = 800
# Pillow's format name: the stored file's extension and content type.
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
CONTENT_TYPES = dict(FORMATS.values())
UPLOAD_TO = "team"
REFUSED = "This file is not an image we can read; upload a JPEG, PNG or WebP photo."


def is_new(file) -> bool:
    """An upload not stored yet (a stored photo was checked on its way in)."""
    return bool(file) and not getattr(file, "_committed", False)


def validate_photo(file) -> None:
    """The model field's validator: a clear message for anything we would not store."""
    if not is_new(file):
        return
    if file.size > MAX_BYTES:
        raise ValidationError(
            f"The photo is {file.size / 1024 / 1024:.1f} MB; upload one of at most "
            f"{MAX_BYTES // 1024 // 1024} MB.",
            code="photo_size",
        )
    try:
        file.seek(0)
        with Image.open(file) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        raise ValidationError(REFUSED, code="photo_invalid") from None
    finally:
        file.seek(0)
    if kind not in FORMATS:
        raise ValidationError(
            f"A {kind} image can't be used; upload a JPEG, PNG or WebP photo.", code="photo_format"
        )
    if max(width, height) > MAX_SIDE or min(width, height) < MIN_SIDE:
        raise ValidationError(
            f"The photo is {width} × {height} pixels; upload one between {MIN_SIDE} and "
            f"{MAX_SIDE:,} pixels a side.",
            code="photo_dimensions",
        )


def reencoded(file) -> ContentFile:
    """The photo's pixels alone, upright and at most STORED_SIDE a side, in its format."""
    file.seek(0)
    with Image.open(file) as original:
        kind = original.format or ""
        image = ImageOps.exif_transpose(original)
        image.thumbnail((STORED_SIDE, STORED_SIDE))
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif kind == "WEBP" and image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    # Pillow writes some of `info` (EXIF, ICC profile, text chunks) back when saving.
    image.info = {}
    out = io.BytesIO()
    image.save(out, format=kind, **({"quality": 85} if kind != "PNG" else {"optimize": True}))
    data = out.getvalue()
    extension = FORMATS[kind][0]
    return ContentFile(data, name=f"{hashlib.sha256(data).hexdigest()[:32]}.{extension}")
