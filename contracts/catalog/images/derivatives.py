"""The resized copies a worker makes of each picture: squares of `SIZES` pixels (the picture fitted and
centred on white, so every result lines up and pages can give width/height up front), WebP. Names carry the
picture's SHA-256, so a file never changes once written and can be cached for good."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps

from contracts.catalog.images.checking import open_checked, strict_decoding

SIZES = (160, 480)  # thumbnail (results, lists) and the item page
THUMBNAIL, LARGE = SIZES
WEBP_QUALITY = 82


def original_name(digest: str) -> str:
    return f"catalog-images/originals/{digest[:2]}/{digest}"


def derivative_name(digest: str, size: int) -> str:
    return f"catalog-images/{digest[:2]}/{digest}-{size}.webp"


def render_derivatives(data: bytes) -> dict[int, bytes]:
    """{size: WebP bytes} for each of SIZES. Raises ImageRejected (or a Pillow error for a damaged file)."""
    with warnings.catch_warnings(), strict_decoding():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with open_checked(data) as source:
            source.draft("RGB", (LARGE * 2, LARGE * 2))  # JPEG: decode at a reduced scale when that is enough
            picture = ImageOps.exif_transpose(source)
            picture.load()
    if picture.mode in ("RGBA", "LA", "P", "PA"):
        picture = picture.convert("RGBA")
        flat = Image.new("RGB", picture.size, "white")
        flat.paste(picture, mask=picture.getchannel("A"))
        picture = flat
    elif picture.mode != "RGB":
        picture = picture.convert("RGB")
    out: dict[int, bytes] = {}
    for size in SIZES:
        copy = picture.copy()
        copy.thumbnail((size, size), Image.Resampling.LANCZOS)
        canvas = Image.new("RGB", (size, size), "white")
        canvas.paste(copy, ((size - copy.width) // 2, (size - copy.height) // 2))
        buffer = io.BytesIO()
        canvas.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
        out[size] = buffer.getvalue()
    return out
