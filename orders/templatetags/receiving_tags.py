"""`{% po_receiving po as receiving %}`: the receiving facts of an order the page already read through its tenant
selector (the order pages include the receiving partials with this, so their views need no change)."""

from django import template

from orders.receiving.selectors import po_receiving as receiving_of
from orders.receiving.services import OPEN_STATUSES, RECEIVING

register = template.Library()


@register.simple_tag
def po_receiving(po):
    return receiving_of(po=po)


@register.filter
def receivable(po) -> bool:
    return po.status in RECEIVING


@register.filter
def unresolved(discrepancy) -> bool:
    return discrepancy.status in OPEN_STATUSES
