"""Money and percentages are written one way everywhere: `$1,234.50`, `30.4%`."""

from decimal import Decimal

import pytest

from marketplace.core.formatting import money, percent


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1234.5"), "$1,234.50"),
        ("0.005", "$0.01"),
        (0, "$0.00"),
        (Decimal("-3"), "−$3.00"),
        ("1000000", "$1,000,000.00"),
        (None, ""),
    ],
)
def test_money(value, shown):
    assert money(value) == shown


@pytest.mark.parametrize(("value", "shown"), [(Decimal("30.44"), "30.4%"), ("30.45", "30.5%"), (0, "0.0%"), (None, "")])
def test_percent(value, shown):
    assert percent(value) == shown
