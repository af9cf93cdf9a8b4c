"""The platform operator's home: an operator (no organization) lands there and sees organizations, people, queues and
the latest changes across the platform; nobody else may open it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.core.models import OutgoingEmail
from marketplace.core.services.audit import audit_record
from suppliers.models import Supplier
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return UserFactory(email="ops@coop-marketplace.test", is_staff=True)


def _rows(html: str) -> str:
    return " ".join(html.split())


def test_an_operator_without_an_organization_lands_on_the_operator_home(client, world, operator):
    client.force_login(operator)

    response = client.get("/", follow=True)

    assert response.redirect_chain[-1][0] == "/operator/"
    assert "Operator home" in response.content.decode()


def test_the_operator_home_counts_across_every_organization(client, world, operator):
    Supplier.objects.filter(organization=world.other_supplier).update(
        vetting_status="suspended", suspension_reason="Insurance lapsed"
    )
    OutgoingEmail.objects.create(
        to=["x@y.test"], subject="Old", body="b", created_at=timezone.now() - dt.timedelta(days=2)
    )
    audit_record(actor=world.coop_staff, action="contract.published", organization=world.coop)
    client.force_login(operator)

    page = _rows(client.get("/operator/").content.decode())

    assert '<th scope="row">Agency</th><td class="text-right">2</td>' in page
    assert '<th scope="row">Supplier</th><td class="text-right">2</td>' in page
    assert 'Suppliers suspended</th><td class="text-right"><span class="usa-tag bg-secondary-dark">1</span>' in page
    assert (
        'E-mails waiting more than a day</th><td class="text-right"><span class="usa-tag bg-secondary-dark">1</span>'
        in page
    )
    assert "contract.published · Alpha Co-op" in page


def test_the_operator_home_costs_the_same_queries_whatever_the_platform_holds(
    client, world, operator, django_assert_max_num_queries
):
    client.force_login(operator)
    client.get("/operator/")
    for n in range(20):
        audit_record(actor=world.requester, action=f"probe.{n}", organization=world.agency)
        OutgoingEmail.objects.create(to=[f"{n}@y.test"], subject="s", body="b")

    with django_assert_max_num_queries(25):
        assert client.get("/operator/").status_code == 200


@pytest.mark.parametrize("who", ["requester", "agency_admin", "coop_admin", "supplier_admin"])
def test_members_of_organizations_cannot_open_it(client, world, who):
    client.force_login(getattr(world, who))

    response = client.get("/operator/")

    assert response.status_code == 403
    assert "Operator home" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/operator/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
