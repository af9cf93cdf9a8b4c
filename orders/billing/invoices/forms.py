"""The invoice pages' forms. Input is parsed with the API's input types (one definition each); these helpers turn
a posted page into that input and build the rows of the create form."""

from __future__ import annotations

from orders.billing.invoices.api import serializers as io
from orders.billing.services.invoices import line_invoiceable


def invoice_create_body(po, post) -> dict:
    """The create page's POST as the API's body: a line with an empty or 0 quantity is left out."""
    lines = []
    for line in po.lines.all():
        raw = (post.get(f"line-{line.id}-quantity") or "").strip()
        if raw in ("", "0"):
            continue
        lines.append(
            {
                "line": line.id,
                "quantity": raw,
                "unit_price": (post.get(f"line-{line.id}-unit_price") or "").strip() or None,
            }
        )
    return {
        "number": post.get("number", ""),
        "invoice_date": post.get("invoice_date") or None,
        "lines": lines,
        "note": post.get("note", ""),
    }


def invoice_create_parse(po, post) -> io.InvoiceCreateInputSerializer:
    return io.parse(io.InvoiceCreateInputSerializer, invoice_create_body(po, post))


def invoice_create_rows(po, values=None, errors=None) -> list[dict]:
    """Per order line: shipped, already invoiced, the quantity (default shipped − invoiced) and the unit price
    (default the PO price), with the errors of the last attempt."""
    errors = errors or {}
    rows = []
    for line in po.lines.all():
        open_quantity = line_invoiceable(line)
        if values is None:
            quantity, price = (open_quantity or ""), line.unit_price
        else:
            quantity = values.get(f"line-{line.id}-quantity", "")
            price = values.get(f"line-{line.id}-unit_price", "")
        rows.append(
            {
                "line": line,
                "open": open_quantity,
                "quantity": quantity,
                "unit_price": price,
                "errors": [
                    message
                    for key, messages in errors.items()
                    if key.startswith(f"lines.{line.id}.")
                    for message in messages
                ],
            }
        )
    return rows
