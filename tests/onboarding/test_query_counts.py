"""The review queue (page and API) runs the same number of queries for 1 application and for many; an application's
page does not grow with its thread."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import ApplicationMessage
from tests.onboarding.isolation_routes import application_row

pytestmark = pytest.mark.django_db


def _grow(world, n, start):
    for i in range(start, start + n):
        application = application_row(world.coop, f"Town {i}", f"town{i}.fl.us")
        application.status = "approved" if i % 3 == 0 else "pending"
        application.decided_by = world.coop_admin if i % 3 == 0 else None
        application.save()


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/coops/alpha-coop/applications/?status=all",
        "/api/v1/coops/alpha-coop/applications/?status=all",
    ],
)
def test_same_query_count_for_1_and_many_applications(client, world, url, django_assert_num_queries):
    client.force_login(world.coop_staff)
    _grow(world, 1, 0)
    one = _queries(client, url)
    _grow(world, 30, 1)
    with django_assert_num_queries(one):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("prefix", ["/coops/alpha-coop/applications/", "/api/v1/coops/alpha-coop/applications/"])
def test_an_applications_page_does_not_grow_with_its_thread(client, world, prefix, django_assert_num_queries):
    client.force_login(world.coop_staff)
    application = application_row(world.coop, "Town of Threads", "threads.fl.us")
    url = f"{prefix}{application.public_id}/"
    one = _queries(client, url)
    for i in range(20):
        ApplicationMessage.objects.create(
            application=application,
            cooperative=world.coop,
            author_kind="staff" if i % 2 else "applicant",
            author=world.coop_staff if i % 2 else None,
            body=f"Message {i}",
            created_at=timezone.now(),
        )
    with django_assert_num_queries(one):
        assert client.get(url).status_code == 200
