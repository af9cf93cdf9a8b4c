"""Which picture a page shows for an item: its own (once the worker has resized it), or else its category's
picture — small drawings committed in `static/img/categories/` (the demo catalog's look, and the placeholder
while an uploaded picture is being prepared). No query: the item's category and image come with it
(`select_related("category", "image")` in the selectors that list items)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.templatetags.static import static
from django.urls import reverse

from contracts.catalog.images.derivatives import LARGE, SIZES, THUMBNAIL

# Leaf categories (contracts/catalog/categories.py) with a drawing of their own; a top-level category falls back
# to the drawing named after its slug, anything else to the generic one.
CATEGORY_PICTURES = frozenset(
    {
        "alkaline-lithium-cells",
        "rechargeable-cells",
        "coin-button-cells",
        "sealed-lead-acid",
        "ups-replacement-cartridges",
        "vehicle-fleet-batteries",
        "two-way-radio-batteries",
        "mobile-device-batteries",
        "chargers",
        "power-banks",
        "ups-units",
        "power-supplies",
        "led-lamps",
        "led-tubes",
        "fixtures-high-bays",
        "exit-emergency-lights",
        "flashlights",
        "battery-recycling",
        "installation-services",
    }
)
GENERIC = "generic"


@lru_cache(maxsize=256)  # the static files' names do not change while the process runs
def category_picture_url(slug: str | None) -> str:
    return static(f"img/categories/{slug if slug in CATEGORY_PICTURES else GENERIC}.svg")


def image_url(digest: str, size: int) -> str:
    return reverse("catalog-image", kwargs={"digest": digest, "size": size})


@dataclass(frozen=True)
class Picture:
    url: str
    size: int  # square: width = height
    own: bool  # False: the category's picture
    status: str  # "none" | the image's status ("processing", "ready", "failed")


def item_picture(item, size: int = THUMBNAIL) -> Picture:
    """The picture to show for `item` at `size` (one of SIZES) pixels square."""
    if size not in SIZES:
        size = THUMBNAIL if size < LARGE else LARGE
    image = item.image if item.image_id else None
    if image is not None and image.is_ready:
        return Picture(url=image_url(image.digest, size), size=size, own=True, status=image.status)
    category = item.category if item.category_id else None
    return Picture(
        url=category_picture_url(category.slug if category else None),
        size=size,
        own=False,
        status=image.status if image is not None else "none",
    )
