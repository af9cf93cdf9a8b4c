"""Counts are written with the noun in the right number ("1 price increase", "3 price increases"), never "(s)"."""

import pytest

from marketplace.core.formatting import count_of


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 price increases"), (1, "1 price increase"), (2, "2 price increases"), (1200, "1,200 price increases")],
)
def test_count_of_writes_the_noun_in_the_right_number(count, expected):
    assert count_of(count, "price increase") == expected


def test_count_of_takes_an_irregular_plural():
    assert count_of(1, "facility", "facilities") == "1 facility"
    assert count_of(2, "facility", "facilities") == "2 facilities"
