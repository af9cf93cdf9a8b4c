"""A real one-page PDF for upload tests (pypdf writes it)."""

from __future__ import annotations

import io

from pypdf import PdfWriter


def one_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
