"""List pages and endpoints run the same number of queries for 1 row and for 50 (at most QUERY_BUDGET)."""

import pytest

from marketplace.core.services.audit import audit_record
from tests.factories import CoopMembershipFactory, FacilityFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 25  # a list page at 1 row; at 50 rows it must run exactly as many


def _grow(world, n):
    for _ in range(n):
        MembershipFactory(organization=world.agency, role="requester")
        audit_record(actor=world.agency_admin, action="x.y", organization=world.agency, obj=world.agency)
        FacilityFactory(agency=world.agency)
        CoopMembershipFactory(cooperative=world.coop, agency=OrganizationFactory(kind="agency"))


@pytest.mark.parametrize(
    ("user_attr", "url"),
    [
        ("agency_admin", "/api/v1/agencies/city-of-alpha/members/"),
        ("agency_admin", "/api/v1/agencies/city-of-alpha/"),
        ("agency_admin", "/agencies/city-of-alpha/"),
        ("agency_admin", "/agencies/city-of-alpha/audit/"),
        ("coop_admin", "/coops/alpha-coop/"),
        ("coop_admin", "/api/v1/coops/alpha-coop/"),
    ],
)
def test_same_query_count_for_1_and_50_rows(
    client, world, user_attr, url, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(getattr(world, user_attr))
    _grow(world, 1)
    with django_assert_max_num_queries(QUERY_BUDGET) as one:
        assert client.get(url).status_code == 200

    _grow(world, 49)
    with django_assert_num_queries(len(one)):
        assert client.get(url).status_code == 200
