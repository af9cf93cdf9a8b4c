"""The cart badge in the header of every agency page: how many lines the member's cart holds (one query)."""

from django.urls import reverse

from marketplace.core.roles import OrgKind
from orders.carts.selectors import cart_line_count


def cart(request):
    organization = getattr(request, "organization", None)
    user = getattr(request, "user", None)
    if organization is None or organization.kind != OrgKind.AGENCY or user is None or not user.is_authenticated:
        return {}
    return {
        "cart_url": reverse("agency-cart", args=[organization.slug]),
        "cart_line_count": cart_line_count(agency=organization, user=user),
    }
