"""Limits checked before work: how large a picture may be before it is decoded.

A PNG of a few hundred bytes can declare 30000 x 30000 pixels; decoding it
takes gigabytes. Pillow only reads a picture's header when it is opened, so the
declared size is checked there, before any pixel is decoded, against
``SCAPE_MAX_IMAGE_PIXELS``. Pillow's own guard (``DecompressionBombError``,
which is not an ``OSError``) is turned into the same error.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_MAX_IMAGE_PIXELS = 64_000_000  # a 64-megapixel still: more than any camera here makes


class ImageTooLargeError(ValueError):
    """The picture declares more pixels than may be decoded."""


def max_image_pixels() -> int:
    return int(getattr(settings, "SCAPE_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))


def too_large_message(width: int | None = None, height: int | None = None) -> str:
    """Return the message a person reads about an oversized picture."""
    limit = max_image_pixels() // 1_000_000
    if width and height:
        return _(
            "The picture is %(width)s by %(height)s pixels; at most %(limit)s megapixels "
            "can be read."
        ) % {"width": width, "height": height, "limit": limit}
    return _("The picture declares more than %(limit)s megapixels and cannot be read.") % {
        "limit": limit
    }


def check_size(width: int, height: int) -> None:
    """Raise ImageTooLargeError when a picture of this size may not be decoded."""
    if width <= 0 or height <= 0 or width * height > max_image_pixels():
        raise ImageTooLargeError(too_large_message(width, height))


@contextlib.contextmanager
def open_image(source: Any) -> Iterator[Any]:
    """Open a picture with Pillow (header only), refusing one that is too large to decode."""
    from PIL import Image

    try:
        image = Image.open(source)
    except Image.DecompressionBombError as exc:
        raise ImageTooLargeError(too_large_message()) from exc
    with image:
        check_size(image.width, image.height)
        yield image
