"""The supplier order desk's inbox filters (one FilterSet: the page, its CSV export and the API list)."""

from __future__ import annotations

import django_filters

from orders.purchase_orders.desk import selectors
from orders.purchase_orders.lists.filters import OrderFilterBase
from orders.purchase_orders.lists.selectors import RELEASED_STATUS_CHOICES


class SupplierOrderFilter(OrderFilterBase):
    """Orders addressed to a supplier (`organization`: the supplier). `store`: the orders routed to one of its
    locally owned stores (what a store's staff work from)."""

    status = django_filters.ChoiceFilter(label="Status", choices=RELEASED_STATUS_CHOICES, empty_label="Any status")
    agency = django_filters.ChoiceFilter(field_name="agency__slug", label="Agency", empty_label="All agencies")
    store = django_filters.ChoiceFilter(field_name="store_id", label="Fulfilling store", empty_label="Any store")

    class Meta(OrderFilterBase.Meta):
        fields = ["q", "status", "agency", "store", "date_from", "date_to", "emergency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["agency"].extra["choices"] = selectors.desk_agency_choices(supplier=self.organization)
        self.filters["store"].extra["choices"] = selectors.desk_store_choices(supplier=self.organization)
