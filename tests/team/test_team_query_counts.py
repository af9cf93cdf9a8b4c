"""The team page and the invitations list run the same number of queries for 1 row and for 30."""

import pytest
from allauth.mfa.models import Authenticator

from marketplace.core.services.invitations import invitation_create
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _grow(world, n, start):
    for i in range(start, start + n):
        member = MembershipFactory(organization=world.agency, role="approver", is_active=i % 2 == 0).user
        if i % 3 == 0:
            Authenticator.objects.create(user=member, type=Authenticator.Type.TOTP, data={"secret": "x"})
        invitation_create(
            organization=world.agency, email=f"count-{i}@alpha.test", roles=["requester"], actor=world.agency_admin
        )


@pytest.mark.parametrize("url", ["/agencies/city-of-alpha/team/", "/api/v1/agencies/city-of-alpha/invitations/"])
def test_same_query_count_for_1_and_30_rows(
    client, world, url, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(world.agency_admin)
    _grow(world, 1, 0)
    with django_assert_max_num_queries(25) as one:
        assert client.get(url).status_code == 200
    _grow(world, 29, 1)
    with django_assert_num_queries(len(one)):
        assert client.get(url).status_code == 200
