"""Compliance documents: PDF uploads checked by content, stored through Django's default storage, withdrawn
(never deleted).

Storage is whatever `STORAGES["default"]` names: the local FileSystemStorage under MEDIA_ROOT by default,
an S3-compatible backend (django-storages) in production by configuration alone.
"""

from __future__ import annotations

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from contracts.models import Contract, ContractDocument, DocumentKind
from marketplace.core.errors import ApplicationError
from marketplace.core.models import User
from marketplace.core.services.audit import audit_record
from marketplace.core.services.uploads import pdf_inspect


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
