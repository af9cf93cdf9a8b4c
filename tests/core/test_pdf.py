"""The kernel's PDF printer: cached stylesheet and fonts, URLs refused, the trimmed user-agent stylesheet in use."""

from __future__ import annotations

import gc
import io

import pytest
from pypdf import PdfReader

from marketplace.core import pdf


def test_user_agent_stylesheet_is_trimmed_for_this_weasyprint():
    # Fails after a WeasyPrint upgrade that changed its user-agent stylesheet: check the patterns in core/pdf.py.
    assert pdf._user_agent_stylesheet() is not None
    assert pdf._html_class().__name__ == "PrintHTML"


def test_render_returns_a_pdf_caches_and_restores_the_collector():
    assert gc.isenabled()
    data = pdf.render_pdf(
        "orders/pdf/purchase_order.css",  # any template: a stylesheet renders as text
        {},
        stylesheet_template="contracts/pdf/packet_cover.css",
    )
    assert gc.isenabled()
    assert data.startswith(b"%PDF")
    assert pdf.stylesheet("contracts/pdf/packet_cover.css") is pdf.stylesheet("contracts/pdf/packet_cover.css")
    assert pdf.font_config() is pdf.font_config()
    assert "Print stylesheet of the purchase-order PDF" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_external_resources_are_refused():
    with pytest.raises(ValueError, match="external resource refused"):
        pdf.refuse_fetch("https://example.test/logo.png")
