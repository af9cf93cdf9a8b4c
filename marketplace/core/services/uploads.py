"""Uploaded documents checked by content: every PDF an organization gives us (compliance documents, tax-exemption
certificates, evidence of public-entity status, W-9s, certificates of insurance) passes `pdf_inspect` before it is
stored, so the name or declared content type never decides and nothing is stored on refusal."""

from __future__ import annotations

import hashlib

from django.conf import settings
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..errors import ApplicationError

# Overridable by a setting of the same name; 20 MB keeps a scanned signed contract but refuses video by mistake.
CONTRACT_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


def document_max_bytes() -> int:
    return int(getattr(settings, "CONTRACT_DOCUMENT_MAX_BYTES", CONTRACT_DOCUMENT_MAX_BYTES))


def _refuse(message: str, code: str = "invalid_file") -> ApplicationError:
    return ApplicationError(code, message, {"file": [message]})


def pdf_inspect(file) -> tuple[str, int, int]:
    """(sha256, size in bytes, page count) of an uploaded file, or ApplicationError saying why it is not an
    acceptable PDF. The content decides, never the name or the declared content type."""
    size = getattr(file, "size", None)
    limit = document_max_bytes()
    if size is not None and size > limit:
        raise _refuse(f"The file is {size / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB.", "file_too_large")
    file.seek(0)
    digest = hashlib.sha256()
    size = 0
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
        if size > limit:
            raise _refuse(f"The file is larger than the {limit / 1048576:.0f} MB limit.", "file_too_large")
    if size == 0:
        raise _refuse("The file is empty.", "empty_file")
    file.seek(0)
    if file.read(len(PDF_MAGIC)) != PDF_MAGIC:
        raise _refuse("This is not a PDF file (its content does not start like a PDF). Upload the document as PDF.")
    file.seek(0)
    try:
        reader = PdfReader(file)
        if reader.is_encrypted:
            raise _refuse("The PDF is password-protected. Upload a copy without a password so the public can open it.")
        pages = len(reader.pages)
    except ApplicationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, IndexError, AttributeError):
        raise _refuse("The PDF is damaged and cannot be read. Export it again and upload the new copy.")
    if pages < 1:
        raise _refuse("The PDF has no pages.")
    file.seek(0)
    return digest.hexdigest(), size, pages
