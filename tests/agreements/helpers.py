"""Builders for membership-agreement tests: a published version and an acceptance, written directly (the services
are tested on their own)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from agencies.agreements.models import AgreementAcceptance, AgreementPDFStatus, AgreementVersion

BODY = "1. Purpose. The members buy together.\n\n2. Term. This agreement runs until ended in writing."


def version(cooperative, *, label="2027-1", title="Intergovernmental cooperative purchasing agreement", **extra):
    fields = {"effective_on": dt.date(2026, 1, 1), "body": BODY, **extra}
    return AgreementVersion.objects.create(cooperative=cooperative, label=label, title=title, **fields)


def acceptance(agency, agreement, *, by, signer_name="Pat Signer", pdf=False, **extra):
    row = AgreementAcceptance.objects.create(
        version=agreement,
        cooperative=agreement.cooperative,
        agency=agency,
        signer_name=signer_name,
        signer_title="City Manager",
        signed_on=timezone.localdate(),
        signed_by=by,
        **extra,
    )
    if pdf:
        row.pdf = f"agreements/{agreement.cooperative_id}/signed/{row.public_id}.pdf"
        row.pdf_status = AgreementPDFStatus.READY
        row.save(update_fields=["pdf", "pdf_status"])
    return row
