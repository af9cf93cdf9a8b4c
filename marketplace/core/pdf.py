"""HTML to PDF with WeasyPrint, one way for every PDF the app prints (the purchase order, the compliance packet
cover).

What costs the same for every render is done once per process: each print stylesheet (a Django template) is
rendered and parsed once, and one `FontConfiguration` (the Pango/fontconfig font map) serves every render.
Documents are self-contained: a URL (image, font, `@import`) is refused, never fetched.

WeasyPrint allocates a few thousand objects per printed row (boxes, computed styles, text layouts), many of them
in reference cycles; left on, the cyclic garbage collector walks the whole heap again and again during one
render. It is paused while a document is laid out and painted, and the cycles are freed by the next ordinary
collection. Renders are serialised by a lock: the shared font map is not thread-safe, and the pause is global.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING

from django.template.loader import render_to_string

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

_render_lock = threading.Lock()


def refuse_fetch(url: str, *args, **kwargs):
    """The `url_fetcher` of every PDF: printed documents carry everything they show."""
    raise ValueError(f"external resource refused: {url}")


@cache
def font_config() -> FontConfiguration:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@cache
def stylesheet(template_name: str) -> CSS:
    """The print stylesheet `template_name`, rendered and parsed once per process."""
    from weasyprint import CSS

    return CSS(string=render_to_string(template_name), url_fetcher=refuse_fetch, font_config=font_config())


@contextmanager
def gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def html_to_pdf(html: str, *, stylesheet_template: str) -> bytes:
    """Lay out `html` once with the (cached) stylesheet `stylesheet_template` and return the PDF."""
    from weasyprint import HTML

    css = stylesheet(stylesheet_template)
    with _render_lock, gc_paused():
        document = HTML(string=html, url_fetcher=refuse_fetch).render(stylesheets=[css], font_config=font_config())
        pdf = document.write_pdf()
        del document  # before the collector is back: one pass then frees the whole render
    return pdf
