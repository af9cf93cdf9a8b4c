"""`{% item_picture item size %}`: an item's picture as an <img> with its width and height (no layout shift),
lazy loading and alt text: the item's name for its own picture, empty for the category's drawing (it says
nothing the text beside it does not) or when `decorative` (results, where the name is the heading beside it)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from contracts.catalog.images.derivatives import LARGE, THUMBNAIL
from contracts.catalog.images.pictures import item_picture as picture_for

register = template.Library()


@register.simple_tag
def item_picture(item, size: int = THUMBNAIL, decorative: bool = False, sizes: str = "", css: str = ""):
    picture = picture_for(item, size)
    alt = "" if decorative or not picture.own else item.name
    css = " ".join(filter(None, [css, "item-picture", "" if picture.own else "item-picture--category"]))
    srcset = ""
    if picture.own and picture.size == THUMBNAIL and sizes:
        large = picture_for(item, LARGE)
        srcset = format_html(' srcset="{} {}w, {} {}w" sizes="{}"', picture.url, THUMBNAIL, large.url, LARGE, sizes)
    return format_html(
        '<img class="{}" src="{}"{} width="{}" height="{}" alt="{}" loading="lazy" decoding="async">',
        css,
        picture.url,
        srcset,
        picture.size,
        picture.size,
        alt,
    )
