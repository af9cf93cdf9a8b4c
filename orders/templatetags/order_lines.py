"""Template filters for purchase-order pages: a line's open quantity, an order's total and savings percent."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from orders.purchase_orders.services.desk import line_open_quantity

register = template.Library()


@register.filter
def open_quantity(line) -> int:
    return line_open_quantity(line)


@register.filter
def po_total(po) -> Decimal:
    return po.subtotal + po.tax


@register.filter
def savings_percent(po) -> Decimal | None:
    if not po.list_total:
        return None
    return (po.savings * 100 / po.list_total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
