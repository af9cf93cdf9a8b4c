"""Orders: carts, requisitions, approvals, purchase orders, receiving and billing. Each sub-domain has its own
folder (`carts/`, `requisitions/`, `approvals/`, `purchase_orders/`, `receiving/`, `billing/`); their models are
imported here so Django registers them with the orders app (tables `orders_*`)."""

from orders.approvals.models import Approval, ApprovalDecision, ApprovalRequest
from orders.billing.models import (
    INVOICE_TRANSITIONS,
    PAYABLE_INVOICE_STATUSES,
    AdminFeeAccrual,
    CreditMemo,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    PaymentTerms,
    RefundStatus,
    StripeEvent,
)
from orders.carts.models import Cart, CartLine, OrderTemplate, OrderTemplateLine
from orders.purchase_orders.desk.models import CancellationStatus, LineCancellation
from orders.purchase_orders.models import (
    PO_TRANSITIONS,
    Fulfilment,
    OrderEvent,
    PDFStatus,
    PONumberSequence,
    POStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    Shipment,
    ShipmentLine,
)
from orders.receiving.models import (
    Discrepancy,
    DiscrepancyKind,
    DiscrepancyStatus,
    Receipt,
    ReceiptLine,
)
from orders.requisitions.models import REQUISITION_TRANSITIONS, IdempotencyRecord, Requisition, RequisitionStatus

__all__ = [
    "INVOICE_TRANSITIONS",
    "PAYABLE_INVOICE_STATUSES",
    "PO_TRANSITIONS",
    "REQUISITION_TRANSITIONS",
    "AdminFeeAccrual",
    "Approval",
    "ApprovalDecision",
    "ApprovalRequest",
    "CancellationStatus",
    "Cart",
    "CartLine",
    "CreditMemo",
    "Discrepancy",
    "DiscrepancyKind",
    "DiscrepancyStatus",
    "Fulfilment",
    "IdempotencyRecord",
    "Invoice",
    "InvoiceLine",
    "InvoiceStatus",
    "LineCancellation",
    "OrderEvent",
    "OrderTemplate",
    "OrderTemplateLine",
    "PDFStatus",
    "PONumberSequence",
    "POStatus",
    "Payment",
    "PaymentMethod",
    "PaymentStatus",
    "PaymentTerms",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "Receipt",
    "ReceiptLine",
    "RefundStatus",
    "Requisition",
    "RequisitionStatus",
    "Shipment",
    "ShipmentLine",
    "StripeEvent",
]
