"""Who works the supplier's order desk."""

from marketplace.core.roles import Role

ORDER_DESK_ROLES = frozenset({Role.ORDER_DESK, Role.SUPPLIER_ADMIN})
