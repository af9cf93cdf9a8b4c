"""Demo compliance documents: small, valid PDFs rendered with WeasyPrint, uploaded through the real service."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils.html import escape

from contracts.models import Contract, ContractDocument, DocumentKind
from contracts.services.documents import contract_document_upload
from marketplace.core.models import User

_CSS = "@page { size: Letter; margin: 1in; } body { font-family: 'DejaVu Sans', sans-serif; font-size: 11pt; }"

DOCUMENTS: list[tuple[str, str, list[str]]] = [
    (
        DocumentKind.SOLICITATION,
        "Request for proposals",
        [
            "The lead agency, on behalf of the cooperative and its member agencies, requests proposals for "
            "batteries, power and lighting products and related services.",
            "Proposals are evaluated on price (40 points), product range and availability (25), local "
            "fulfilment capacity (20) and qualifications and references (15).",
        ],
    ),
    (
        DocumentKind.AWARD_LETTER,
        "Notice of award",
        [
            "After evaluation of all responsive proposals, the evaluation committee recommends award to the "
            "supplier named below, which offered the highest-scoring proposal.",
            "The award is made on behalf of the cooperative so that every member agency may buy on it.",
        ],
    ),
    (
        DocumentKind.SIGNED_CONTRACT,
        "Signed master agreement",
        [
            "This master agreement sets out the terms on which member agencies of the cooperative may purchase "
            "from the supplier: pricing, ordering, delivery, warranties, invoicing and termination.",
            "Signed by the authorised representatives of the lead agency and of the supplier.",
        ],
    ),
    (
        DocumentKind.PRICING_EXHIBIT,
        "Pricing exhibit",
        [
            "Contract prices are list prices less the discount for each product category; the minimum discount "
            "applies to every item in the catalog.",
            "Price increases require the cooperative's written approval; decreases take effect at once.",
        ],
    ),
    (
        DocumentKind.INSURANCE,
        "Certificate of insurance",
        [
            "Commercial general liability: $1,000,000 each occurrence, $2,000,000 aggregate.",
            "Automobile liability: $1,000,000 combined single limit. Workers' compensation: statutory limits.",
        ],
    ),
]


def simple_pdf(*, title: str, kicker: str, paragraphs: list[str]) -> bytes:
    """A one-page demo PDF: a line above the title, the title, paragraphs, and a 'demo document' line."""
    from weasyprint import CSS, HTML

    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    html = (
        f"<html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title></head><body>"
        f"<p>{escape(kicker)}</p><h1>{escape(title)}</h1>{body}"
        f"<p>Demo document generated for the Co-op Marketplace demo. Not a real document.</p></body></html>"
    )
    return HTML(string=html).write_pdf(stylesheets=[CSS(string=_CSS)])


def demo_pdf(*, title: str, contract: Contract, paragraphs: list[str]) -> bytes:
    lead = f"{contract.title} — supplier {contract.supplier.name}"
    return simple_pdf(
        title=title,
        kicker=f"{contract.cooperative.name} · Contract {contract.number}",
        paragraphs=[lead, *paragraphs],
    )


def seed_contract_documents(contract: Contract, user: User) -> int:
    """Add the five standard compliance documents to `contract`, skipping kinds it already has. Returns how
    many were added. Idempotent."""
    existing = set(
        ContractDocument.objects.filter(contract=contract, removed_at__isnull=True).values_list("kind", flat=True)
    )
    added = 0
    for kind, title, paragraphs in DOCUMENTS:
        if kind in existing:
            continue
        data = demo_pdf(title=title, contract=contract, paragraphs=paragraphs)
        upload = ContentFile(data, name=f"{contract.slug}-{kind.replace('_', '-')}.pdf")
        contract_document_upload(contract=contract, actor=user, kind=kind, title=title, file=upload)
        added += 1
    return added
