"""Set-up list pages and endpoints run the same number of queries for 1 row and for many."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import MemberDefaults, TaxExemptionCertificate
from contracts.models import Category
from tests.factories import FacilityFactory, MembershipFactory, UserFactory
from tests.orders.factories import ApprovalRuleFactory, DepartmentFactory, FundCodeFactory

pytestmark = pytest.mark.django_db

PAGE = "/agencies/city-of-alpha/setup"
API = "/api/v1/agencies/city-of-alpha"
URLS = [
    f"{PAGE}/",
    f"{PAGE}/departments/",
    f"{PAGE}/facilities/",
    f"{PAGE}/fund-codes/",
    f"{PAGE}/approval-rules/",
    f"{PAGE}/tax-certificates/",
    f"{PAGE}/members/",
    f"{API}/departments/",
    f"{API}/facilities/",
    f"{API}/fund-codes/",
    f"{API}/approval-rules/",
    f"{API}/tax-certificates/",
]


def _grow(world, n, start):
    category = Category.objects.get(slug="led-lamps")
    for i in range(start, start + n):
        department = DepartmentFactory(agency=world.agency)
        facility = FacilityFactory(agency=world.agency)
        code = FundCodeFactory(agency=world.agency, department=department)
        ApprovalRuleFactory(
            agency=world.agency, min_amount=Decimal(100 * (i + 1)), category=category if i % 2 else None
        )
        TaxExemptionCertificate.objects.create(
            agency=world.agency,
            state="FL",
            number=f"C-{i}",
            file="x.pdf",
            sha256="0" * 64,
            uploaded_by=world.agency_admin,
        )
        member = UserFactory()
        MembershipFactory(user=member, organization=world.agency, role="requester")
        MemberDefaults.objects.create(agency=world.agency, user=member, facility=facility, fund_code=code)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", URLS)
def test_same_query_count_for_1_and_many_rows(client, world, url, django_assert_num_queries):
    client.force_login(world.agency_admin)
    _grow(world, 1, 0)
    one = _queries(client, url)
    _grow(world, 30, 1)
    with django_assert_num_queries(one):
        response = client.get(url)
    assert response.status_code == 200
