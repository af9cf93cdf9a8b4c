"""Checking a picture by its content (Pillow), never by its name: a JPEG, PNG or WebP, at most
`MAX_IMAGE_BYTES`, at most `MAX_IMAGE_PIXELS` (read from the header before anything is decoded: a
decompression bomb stops here). Limits are documented in docs/catalog-imports.md."""

from __future__ import annotations

import contextlib
import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageFile

MAX_IMAGE_BYTES = 10 * 1024 * 1024  # one picture
MAX_IMAGE_PIXELS = 40_000_000  # width × height (e.g. 8000 × 5000)
MIN_IMAGE_SIDE = 16  # pixels: smaller is an icon or a tracking pixel, not a product picture
FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPT = ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp"


class ImageRejected(Exception):
    """`reason` is a sentence for the supplier."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CheckedImage:
    digest: str  # SHA-256 of the bytes, hex
    format: str
    width: int
    height: int
    size_bytes: int


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


@contextlib.contextmanager
def strict_decoding():
    """Pillow refuses a truncated or damaged picture while this holds. WeasyPrint, once imported (the worker renders
    PDFs), sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, which would pass a broken picture off as a grey one."""
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def open_checked(data: bytes) -> Image.Image:
    """Open (lazily: header only) a JPEG/PNG/WebP within the pixel limit. Raises ImageRejected."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(f"The picture has too many pixels; the limit is {MAX_IMAGE_PIXELS:,}.")
    except Exception:  # Pillow raises many kinds (UnidentifiedImageError, SyntaxError, OSError…) for non-pictures
        raise ImageRejected("Not a picture: upload a JPEG, PNG or WebP file (the content is checked, not the name).")
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        image.close()
        raise ImageRejected(
            f"The picture is {width:,} × {height:,} pixels; the limit is {MAX_IMAGE_PIXELS:,} pixels in all. "
            "Make it smaller."
        )
    if min(width, height) < MIN_IMAGE_SIDE:
        image.close()
        raise ImageRejected(f"The picture is {width} × {height} pixels; each side must be at least {MIN_IMAGE_SIDE}.")
    return image


def check_image(data: bytes) -> CheckedImage:
    """Check one picture's bytes. Raises ImageRejected with the reason."""
    if not data:
        raise ImageRejected("The picture file is empty.")
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRejected(f"The picture is {_megabytes(len(data))}; the limit is {_megabytes(MAX_IMAGE_BYTES)}.")
    image = open_checked(data)
    try:
        fmt, (width, height) = image.format, image.size
        with warnings.catch_warnings(), strict_decoding():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.verify()  # structure and checksums (PNG chunks), without decoding every pixel
    except Exception:
        raise ImageRejected(f"The picture is damaged: this {fmt} file cannot be read.")
    finally:
        image.close()
    return CheckedImage(
        digest=hashlib.sha256(data).hexdigest(), format=fmt, width=width, height=height, size_bytes=len(data)
    )
