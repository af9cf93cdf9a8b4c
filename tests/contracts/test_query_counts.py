"""Contract lists (pages and endpoints) run the same number of queries for 1 row and for 50 (at most
QUERY_BUDGET)."""

import pytest

from contracts.models import ContractDocument
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

ANCHOR = "anchor-1"
QUERY_BUDGET = 25  # a list page at 1 row; at 50 rows it must run exactly as many


def _grow(world, n):
    anchor = ContractFactory._meta.model.objects.filter(slug=ANCHOR).first() or ContractFactory(
        cooperative=world.coop, supplier=world.supplier, number="ANCHOR-1", lead_agency=world.agency
    )
    for _ in range(n):
        contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, lead_agency=world.agency)
        contract.available_to.add(world.other_coop)
        ContractDocument.objects.create(
            contract=anchor,
            kind="other",
            title="Doc",
            file="contracts/x.pdf",
            original_name="x.pdf",
            size_bytes=1,
            sha256="0" * 64,
            page_count=1,
            uploaded_by=world.coop_staff,
        )


@pytest.mark.parametrize(
    ("user_attr", "url"),
    [
        ("coop_staff", "/coops/alpha-coop/contracts/"),
        ("coop_staff", "/coops/alpha-coop/"),
        ("coop_staff", f"/coops/alpha-coop/contracts/{ANCHOR}/"),
        ("coop_staff", "/api/v1/coops/alpha-coop/contracts/"),
        ("coop_staff", f"/api/v1/coops/alpha-coop/contracts/{ANCHOR}/documents/"),
        (None, "/contracts/"),
        (None, f"/contracts/{ANCHOR}/"),
        (None, "/api/v1/contracts/"),
        (None, f"/api/v1/contracts/{ANCHOR}/"),
    ],
)
def test_same_query_count_for_1_and_50_rows(
    client, world, user_attr, url, django_assert_max_num_queries, django_assert_num_queries
):
    if user_attr:
        client.force_login(getattr(world, user_attr))
    _grow(world, 1)
    with django_assert_max_num_queries(QUERY_BUDGET) as one:
        assert client.get(url).status_code == 200
    _grow(world, 49)
    with django_assert_num_queries(len(one)):
        assert client.get(url).status_code == 200
