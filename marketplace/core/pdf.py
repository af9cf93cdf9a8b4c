"""HTML to PDF with WeasyPrint, one way for every PDF the app prints (the purchase order, the compliance packet
cover).

What costs the same for every render is done once per process: each print stylesheet (a Django template) is
rendered and parsed once, and one `FontConfiguration` (the Pango/fontconfig font map) serves every render.
Documents are self-contained: a URL (image, font, `@import`) is refused, never fetched.

WeasyPrint's HTML user-agent stylesheet gives every element six pseudo-elements (`::marker` and the
`::footnote-*`/`::note-*` family), each computed and cascaded for every table cell; the documents printed here
have no footnotes or notes and no list items but `<li>`, so they use a copy of that stylesheet (read from the
installed WeasyPrint, so it follows upgrades) whose marker rule is scoped to `li` and without the footnote and
note rules: same output, about a sixth less work. A template that uses CSS footnotes must not go through here.

WeasyPrint allocates a few thousand objects per printed row (boxes, computed styles, text layouts), many of them
in reference cycles; left on, the cyclic garbage collector walks the whole heap again and again during one
render. It is paused while a document is laid out and painted, and the cycles are freed by the next ordinary
collection. Renders are serialised by a lock: the shared font map is not thread-safe, and the pause is global.
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING

from django.template.loader import render_to_string

if TYPE_CHECKING:
    from weasyprint import CSS, HTML
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


# Rules of the user-agent stylesheet that apply to every element: `::marker` (only `li` is a list item here) and
# the footnote and note pseudo-elements (never used in these documents).
_UA_MARKER = re.compile(r"^::marker \{", re.MULTILINE)
_UA_FOOTNOTES = re.compile(r"^::(?:footnote|note)-[a-z]+ \{[^}]*\}\n", re.MULTILINE)


@cache
def _user_agent_stylesheet() -> CSS | None:
    from importlib.resources import files

    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle

    source = (files("weasyprint.css") / "html5_ua.css").read_text("utf-8")
    source, markers = _UA_MARKER.subn("li::marker {", source)
    source, footnotes = _UA_FOOTNOTES.subn("", source)
    if markers != 1 or not footnotes:  # not the stylesheet this was written for: keep WeasyPrint's own
        return None
    return CSS(string=source, counter_style=CounterStyle())


@cache
def _html_class() -> type[HTML]:
    from weasyprint import HTML

    user_agent = _user_agent_stylesheet()
    if user_agent is None or not hasattr(HTML, "_ua_stylesheets"):
        return HTML

    class PrintHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [user_agent, *super()._ua_stylesheets(forms)[1:]]  # WeasyPrint's own: [html5_ua, forms?]

    return PrintHTML


@contextmanager
def gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render_pdf(template_name: str, context: dict, *, stylesheet_template: str) -> bytes:
    """The PDF of the HTML template `template_name` with `context`, printed with the (cached) stylesheet
    `stylesheet_template`. The collector is paused from the template on: its rows are garbage by the end too."""
    css, html_class, fonts = stylesheet(stylesheet_template), _html_class(), font_config()
    with _render_lock, gc_paused():
        html = render_to_string(template_name, context)
        document = html_class(string=html, url_fetcher=refuse_fetch).render(stylesheets=[css], font_config=fonts)
        pdf = document.write_pdf()
        del html, document  # before the collector is back: one pass then frees the whole render
    return pdf
