"""Compliance documents: PDF uploads checked by content, stored through Django's default storage, withdrawn
(never deleted).

Storage is whatever `STORAGES["default"]` names: the local FileSystemStorage under MEDIA_ROOT by default,
an S3-compatible backend (django-storages) in production by configuration alone.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from contracts.models import Contract, ContractDocument, DocumentKind
from marketplace.core.errors import ApplicationError
from marketplace.core.models import User
from marketplace.core.services.audit import audit_record

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


@transaction.atomic
def contract_document_upload(
    *, contract: Contract, actor: User, kind: str, title: str, file, is_public: bool = True
) -> ContractDocument:
    """Add a PDF to a draft or active contract's compliance documents."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if not contract.is_open:
        raise ApplicationError(
            "contract_closed",
            f"This contract is {contract.get_status_display().lower()}; documents can no longer be added.",
        )
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = ["Choose the kind of document."]
    title = (title or "").strip() or (DocumentKind(kind).label if kind in DocumentKind.values else "")
    if file is None:
        errors["file"] = ["Choose a PDF file to upload."]
    if errors:
        raise ApplicationError("invalid", "Some fields are not valid.", errors)
    sha256, size, pages = pdf_inspect(file)
    original = (getattr(file, "name", "") or "document.pdf").rsplit("/", 1)[-1][:255]
    document = ContractDocument(
        contract=contract,
        kind=kind,
        title=title[:200],
        original_name=original,
        size_bytes=size,
        sha256=sha256,
        page_count=pages,
        is_public=is_public,
        uploaded_by=actor,
    )
    document.file.save(original, File(file), save=False)
    # The storage write is not transactional: if the transaction rolls back, the file stays unreferenced
    # (harmless; names are random). The row is what makes a document exist.
    document.save()
    audit_record(
        actor=actor,
        action="contract_document.uploaded",
        organization=contract.cooperative,
        obj=document,
        after={
            "contract": contract.number,
            "kind": kind,
            "title": document.title,
            "sha256": sha256,
            "pages": pages,
            "size_bytes": size,
            "is_public": is_public,
        },
    )
    return document


@transaction.atomic
def contract_document_withdraw(*, document: ContractDocument, actor: User) -> ContractDocument:
    """Withdraw a document: it leaves the public page and future packets; the file and row are kept."""
    document = ContractDocument.objects.select_for_update().select_related("contract__cooperative").get(pk=document.pk)
    if document.removed_at is not None:
        raise ApplicationError("already_withdrawn", "This document was already withdrawn.", status=409)
    document.removed_at = timezone.now()
    document.save(update_fields=["removed_at"])
    audit_record(
        actor=actor,
        action="contract_document.withdrawn",
        organization=document.contract.cooperative,
        obj=document,
        before={"removed_at": None},
        after={"removed_at": document.removed_at.isoformat()},
    )
    return document
