"""List pages and endpoints run the same number of queries for 1 row and for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.core.services.audit import audit_record
from tests.factories import CoopMembershipFactory, FacilityFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


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
def test_same_query_count_for_1_and_50_rows(client, world, user_attr, url):
    client.force_login(getattr(world, user_attr))
    _grow(world, 1)
    one = _queries(client, url)

    _grow(world, 49)
    many = _queries(client, url)

    assert one == many
