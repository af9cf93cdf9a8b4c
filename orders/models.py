"""Orders: carts, requisitions, approvals and purchase orders. Each sub-domain has its own folder
(`carts/`, `requisitions/`, `approvals/`, `purchase_orders/`, later `billing/`); their models are imported here so
Django registers them with the orders app (tables `orders_*`)."""

from orders.approvals.models import Approval, ApprovalDecision, ApprovalRequest
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
from orders.requisitions.models import REQUISITION_TRANSITIONS, IdempotencyRecord, Requisition, RequisitionStatus

__all__ = [
    "PO_TRANSITIONS",
    "REQUISITION_TRANSITIONS",
    "Approval",
    "ApprovalDecision",
    "ApprovalRequest",
    "CancellationStatus",
    "Cart",
    "CartLine",
    "Fulfilment",
    "IdempotencyRecord",
    "LineCancellation",
    "OrderEvent",
    "OrderTemplate",
    "OrderTemplateLine",
    "PDFStatus",
    "PONumberSequence",
    "POStatus",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "Requisition",
    "RequisitionStatus",
    "Shipment",
    "ShipmentLine",
]
