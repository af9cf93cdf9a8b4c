"""Compliance packets: one PDF with a cover summary and every public document of a contract, built by a worker.

A packet is identified by `source_digest` (the public documents' hashes plus the contract facts on the
cover), so asking again for an unchanged contract reuses the packet already built.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from contracts.models import CompliancePacket, Contract, ContractDocument, PacketStatus
from marketplace.core.errors import ApplicationError
from marketplace.core.pdf import render_pdf
from marketplace.core.services.audit import audit_record
from marketplace.core.services.outbox import enqueue

logger = logging.getLogger(__name__)

PACKET_TASK = "contracts.packet_build"
# The contract facts printed on the cover: a change to any of them makes a new packet.
COVER_FIELDS = (
    "number",
    "title",
    "description",
    "status",
    "lead_agency_id",
    "supplier_id",
    "solicitation_number",
    "solicitation_method",
    "solicitation_issued_on",
    "solicitation_closed_on",
    "evaluation_summary",
    "award_date",
    "term_start",
    "term_end",
    "renewal_options",
    "pricing_basis",
    "min_discount_percent",
    "admin_fee_rate",
    "states",
)


def packet_documents(contract: Contract) -> list[ContractDocument]:
    from contracts.selectors import public_document_list

    return list(public_document_list(contract=contract))


def packet_digest(contract: Contract, documents: list[ContractDocument]) -> str:
    facts = {name: str(getattr(contract, name)) for name in COVER_FIELDS}
    docs = sorted([d.sha256, d.pk, d.kind, d.title, d.page_count] for d in documents)
    payload = json.dumps({"contract": facts, "documents": docs}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def compliance_packet_request(*, contract: Contract) -> CompliancePacket:
    """The packet for the contract as it is now: reused if built or building, (re)queued if new or failed."""
    if not Contract.objects.public().filter(pk=contract.pk).exists():
        raise ApplicationError("not_found", "No such contract.", status=404)
    digest = packet_digest(contract, packet_documents(contract))
    try:
        with transaction.atomic():
            packet, created = CompliancePacket.objects.get_or_create(contract=contract, source_digest=digest)
    except IntegrityError:  # a concurrent request created it first
        packet, created = CompliancePacket.objects.get(contract=contract, source_digest=digest), False
    if created:
        audit_record(
            actor=None,
            action="compliance_packet.requested",
            organization=contract.cooperative,
            obj=packet,
            after={"contract": contract.number, "digest": digest},
        )
        enqueue(PACKET_TASK, packet.pk)
        return packet
    with transaction.atomic():
        packet = CompliancePacket.objects.select_for_update().get(pk=packet.pk)
        if packet.status == PacketStatus.FAILED:
            packet.status, packet.error = PacketStatus.PENDING, ""
            packet.save(update_fields=["status", "error"])
            audit_record(
                actor=None,
                action="compliance_packet.retried",
                organization=contract.cooperative,
                obj=packet,
                before={"status": PacketStatus.FAILED},
                after={"status": PacketStatus.PENDING},
            )
            enqueue(PACKET_TASK, packet.pk)
    return packet


class PacketBuildError(Exception):
    """A failure the public may read (no internals)."""


def _render_cover(contract: Contract, documents: list[ContractDocument], built_at) -> bytes:
    context = {"contract": contract, "documents": documents, "built_at": built_at}
    return render_pdf("contracts/pdf/packet_cover.html", context, stylesheet_template="contracts/pdf/packet_cover.css")


def _assemble(contract: Contract, documents: list[ContractDocument], built_at) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(_render_cover(contract, documents, built_at))), outline_item="Contract summary")
    for document in documents:
        try:
            with document.file.open("rb") as handle:
                data = handle.read()
        except (FileNotFoundError, OSError):
            raise PacketBuildError(f"The file of “{document.title}” is missing from storage.")
        if hashlib.sha256(data).hexdigest() != document.sha256:
            raise PacketBuildError(f"The file of “{document.title}” has changed since it was uploaded.")
        try:
            writer.append(PdfReader(io.BytesIO(data)), outline_item=f"{document.get_kind_display()}: {document.title}")
        except Exception as exc:
            logger.warning("packet: document %s unreadable: %s", document.pk, exc)
            raise PacketBuildError(f"“{document.title}” could not be read as a PDF.")
    out = io.BytesIO()
    writer.add_metadata({"/Title": f"Compliance packet — {contract.number} {contract.title}"})
    writer.write(out)
    return out.getvalue()


def compliance_packet_build(*, packet_id: int) -> str | None:
    """Build one packet (the worker calls this). Idempotent: a ready packet is left alone. Returns the status."""
    with transaction.atomic():
        packet = CompliancePacket.objects.select_for_update().select_related("contract").filter(pk=packet_id).first()
        if packet is None:
            return None
        if packet.status == PacketStatus.READY:
            return packet.status
        packet.status = PacketStatus.BUILDING
        packet.save(update_fields=["status"])
    contract = Contract.objects.select_related("cooperative", "supplier", "lead_agency").get(pk=packet.contract_id)
    documents = packet_documents(contract)
    built_at = timezone.now()
    try:
        if packet_digest(contract, documents) != packet.source_digest:
            raise PacketBuildError("The contract or its documents changed after this packet was requested.")
        data = _assemble(contract, documents, built_at)
    except Exception as exc:
        message = str(exc) if isinstance(exc, PacketBuildError) else "The packet could not be built."
        if not isinstance(exc, PacketBuildError):
            logger.exception("packet %s failed", packet_id)
        with transaction.atomic():
            CompliancePacket.objects.filter(pk=packet_id).update(status=PacketStatus.FAILED, error=message)
            audit_record(
                actor=None,
                action="compliance_packet.failed",
                organization=contract.cooperative,
                obj=packet,
                before={"status": PacketStatus.BUILDING},
                after={"status": PacketStatus.FAILED, "error": message},
            )
        return PacketStatus.FAILED
    with transaction.atomic():
        packet = CompliancePacket.objects.select_for_update().get(pk=packet_id)
        if packet.status == PacketStatus.READY:  # built by a concurrent delivery of the same task
            return packet.status
        packet.file.save(f"{contract.slug}-compliance-packet-{packet.pk}.pdf", ContentFile(data), save=False)
        packet.status, packet.error, packet.built_at = PacketStatus.READY, "", built_at
        packet.save(update_fields=["file", "status", "error", "built_at"])
        audit_record(
            actor=None,
            action="compliance_packet.built",
            organization=contract.cooperative,
            obj=packet,
            before={"status": PacketStatus.BUILDING},
            after={"status": PacketStatus.READY, "documents": len(documents), "bytes": len(data)},
        )
    return PacketStatus.READY
