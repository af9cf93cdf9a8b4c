"""Money, percentages and dates are written one way everywhere (pages, PDFs, e-mails, notifications)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def money(value) -> str:
    """US dollars, always one way: `$1,234.50` (negative: `−$1,234.50`); empty for None."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "−" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def count_of(count: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun in the right number: `1 price increase`, `3 price increases`, `0 rows`."""
    return f"{count:,} {singular if count == 1 else (plural or singular + 's')}"


def percent(value) -> str:
    """A percentage to one decimal: `30.4%`; empty for None."""
    if value is None or value == "":
        return ""
    return f"{Decimal(str(value)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def long_date(value) -> str:
    """A calendar day as pages show it (Django's "M j, Y"): `Dec 1, 2026`; empty for None."""
    if value is None:
        return ""
    return f"{value:%b} {value.day}, {value.year}"
