"""What the co-op staff and public contract pages share: the facts of a contract's summary and PDF downloads."""

from __future__ import annotations

from django.http import FileResponse, Http404

from contracts.models import Contract
from contracts.services.contracts import US_STATES, rate_to_percent


def contract_summary_context(contract: Contract) -> dict:
    """What `contracts/_summary.html` needs beside `contract`: state names and the admin fee as a percent."""
    return {
        "state_names": [US_STATES.get(s, s) for s in contract.states],
        "admin_fee_percent": rate_to_percent(contract.admin_fee_rate),
    }


def pdf_response(field_file, filename: str) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("The file is not available.") from exc
    return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
