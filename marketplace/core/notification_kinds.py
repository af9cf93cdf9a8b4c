"""The kinds of notification a user can receive. Each user may turn e-mail off per kind (the in-app notification
is always kept); `GENERAL` covers messages that belong to no listed kind."""

from django.db import models


class NotificationKind(models.TextChoices):
    GENERAL = "general", "Other messages"
    APPROVAL_NEEDED = "approval_needed", "An order needs my approval"
    APPROVED = "approved", "My order was approved"
    REJECTED = "rejected", "My order was rejected"
    PO_SENT = "po_sent", "A purchase order was sent"
    ACKNOWLEDGED = "acknowledged", "The supplier acknowledged an order"
    SHIPPED = "shipped", "An order shipped"
    BACKORDERED = "backordered", "A line was backordered"
    RECEIVED = "received", "The agency received an order"
    DISCREPANCY = "discrepancy", "A receiving discrepancy was reported or answered"
    INVOICED = "invoiced", "An invoice arrived"
    INVOICE_ON_HOLD = "invoice_on_hold", "An invoice is on hold or disputed"
    PAID = "paid", "An invoice was paid"
    REFUND = "refund", "A refund or credit was issued"
    OVERDUE = "overdue", "An invoice is overdue"
    CATALOG = "catalog", "Catalog imports and price changes"
    CONTRACT = "contract", "Contract changes and expiry notices"
