"""The seeded product taxonomy for batteries, power and lighting (loaded by a data migration)."""

CATEGORY_TREE: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "batteries",
        "Batteries",
        [
            ("alkaline-lithium-cells", "Alkaline & lithium cells"),
            ("rechargeable-cells", "Rechargeable cells (NiMH)"),
            ("coin-button-cells", "Coin & button cells"),
            ("sealed-lead-acid", "Sealed lead-acid (UPS & emergency lighting)"),
            ("ups-replacement-cartridges", "UPS replacement cartridges"),
            ("vehicle-fleet-batteries", "Vehicle & fleet batteries"),
            ("two-way-radio-batteries", "Two-way radio batteries"),
            ("mobile-device-batteries", "Mobile device & laptop batteries"),
        ],
    ),
    (
        "power",
        "Power",
        [
            ("chargers", "Chargers"),
            ("power-banks", "Power banks & portable power stations"),
            ("ups-units", "UPS units"),
            ("power-supplies", "Power supplies & adapters"),
        ],
    ),
    (
        "lighting",
        "Lighting",
        [
            ("led-lamps", "LED lamps"),
            ("led-tubes", "LED tubes"),
            ("fixtures-high-bays", "Fixtures & high-bays"),
            ("exit-emergency-lights", "Exit & emergency lights"),
            ("flashlights", "Flashlights & headlamps"),
        ],
    ),
    (
        "services",
        "Services",
        [
            ("battery-recycling", "Battery recycling"),
            ("installation-services", "Installation & replacement services"),
        ],
    ),
]


def load_categories(Category) -> None:
    """Create or update the tree; idempotent."""
    for top_position, (slug, name, children) in enumerate(CATEGORY_TREE):
        parent, _ = Category.objects.update_or_create(
            slug=slug, defaults={"name": name, "parent": None, "path": name, "position": top_position}
        )
        for position, (child_slug, child_name) in enumerate(children):
            Category.objects.update_or_create(
                slug=child_slug,
                defaults={"name": child_name, "parent": parent, "path": f"{name} > {child_name}", "position": position},
            )
