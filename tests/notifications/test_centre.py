"""The in-app notification centre: newest first, unread marked in words, All / Unread, mark one read or unread (a
plain POST or htmx), mark all read; the same through `/api/v1/me/notifications/`. Only the user's own rows: another
user's id is a 404 and changes nothing. Query counts do not grow with the number of notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.core.models import Notification
from marketplace.core.notification_kinds import NotificationKind

pytestmark = pytest.mark.django_db

PAGE = "/notifications/"
API = "/api/v1/me/notifications/"


def note(user, title, *, read=False, minutes_ago=0, organization=None, kind=NotificationKind.SHIPPED):
    created = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        user=user,
        title=title,
        kind=kind,
        organization=organization,
        created_at=created,
        read_at=created if read else None,
    )


def read_marks(*notes) -> tuple:
    return tuple(Notification.objects.get(pk=n.pk).read_at for n in notes)


# --- The page ------------------------------------------------------------------------------------------------------


def test_centre_lists_newest_first_with_unread_marked_in_words(client, world):
    note(world.requester, "Older and read", read=True, minutes_ago=10)
    note(world.requester, "Newest unread", minutes_ago=1, organization=world.agency)
    note(world.other_requester, "Someone else's shipment")
    client.force_login(world.requester)

    html = client.get(PAGE).content.decode()

    assert html.index("Newest unread") < html.index("Older and read")
    assert "Someone else" not in html
    newest = html[html.index('id="notification-') : html.index("Older and read")]
    assert '<span class="usa-tag">New</span> <strong>' in newest and "Mark as read" in newest
    older = html[html.index("Older and read") :]
    assert "Mark as unread" in older and "New</span>" not in older[: older.index("</li>")]
    assert "An order shipped" in html  # the kind, in words
    assert '>1<span class="usa-sr-only"> unread</span>' in html  # the header count


def test_unread_filter_shows_only_unread(client, world):
    note(world.requester, "Still unread")
    note(world.requester, "Already read", read=True)
    client.force_login(world.requester)

    html = client.get(PAGE + "?unread=1").content.decode()

    assert "Still unread" in html and "Already read" not in html
    assert 'aria-current="page">Unread' in html


def test_bad_filter_value_is_not_a_500(client, world):
    note(world.requester, "Still unread")
    client.force_login(world.requester)

    for value in ("abc", "1\x00", "9" * 10_000):
        response = client.get(PAGE, {"unread": value})
        assert response.status_code in (200, 400)
        assert "Still unread" not in response.content.decode()


def test_mark_one_read_and_unread_without_javascript(client, world):
    mine = note(world.requester, "Order shipped")
    client.force_login(world.requester)

    response = client.post(f"/notifications/{mine.pk}/read/", {"unread": "1"})

    assert response.status_code == 302 and response["Location"] == "/notifications/?unread=1"
    assert read_marks(mine)[0] is not None

    response = client.post(f"/notifications/{mine.pk}/unread/")

    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert read_marks(mine) == (None,)


def test_mark_read_with_htmx_answers_the_row_and_the_header_count(client, world):
    mine = note(world.requester, "Order shipped")
    note(world.requester, "Another one")
    client.force_login(world.requester)

    response = client.post(f"/notifications/{mine.pk}/read/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<li id="notification-{mine.pk}"' in html and "Mark as unread" in html and "New</span>" not in html
    assert 'id="notifications-badge"' in html and 'hx-swap-oob="true"' in html
    assert '>1<span class="usa-sr-only"> unread</span>' in html
    assert "<html" not in html


def test_marking_twice_changes_nothing(client, world):
    mine = note(world.requester, "Order shipped", read=True)
    before = read_marks(mine)
    client.force_login(world.requester)

    client.post(f"/notifications/{mine.pk}/read/")

    assert read_marks(mine) == before


def test_mark_all_read_touches_only_my_notifications(client, world):
    a, b = note(world.requester, "One"), note(world.requester, "Two")
    theirs = note(world.other_requester, "Theirs")
    client.force_login(world.requester)

    response = client.post("/notifications/read/", follow=True)

    assert "Marked 2 notifications as read." in response.content.decode()
    assert all(read_marks(a, b)) and read_marks(theirs) == (None,)


@pytest.mark.parametrize("action", ["read", "unread"])
def test_another_users_notification_is_404_and_unchanged(client, world, action):
    theirs = note(world.other_requester, "Theirs", read=action == "unread")
    before = read_marks(theirs)
    client.force_login(world.requester)

    assert client.post(f"/notifications/{theirs.pk}/{action}/").status_code == 404
    assert client.post(f"/notifications/{theirs.pk}/{action}/", HTTP_HX_REQUEST="true").status_code == 404
    assert client.post(f"{API}{theirs.pk}/{action}/").status_code == 404
    assert read_marks(theirs) == before


def test_missing_and_huge_ids_are_404(client, world):
    client.force_login(world.requester)

    assert client.post("/notifications/999999999/read/").status_code == 404
    assert client.post(f"{API}{'9' * 30}/read/").status_code == 404
    assert client.post(f"{API}99999999999999999999/unread/").json()["error"]["code"] == "not_found"


def test_centre_needs_a_signed_in_user(client, world):
    mine = note(world.requester, "Order shipped")

    assert client.get(PAGE).status_code == 302
    assert client.post(f"/notifications/{mine.pk}/read/").status_code == 302
    assert client.post(f"{API}{mine.pk}/read/").status_code in (401, 403)
    assert read_marks(mine) == (None,)


def test_centre_query_count_is_the_same_for_1_and_50(client, world, django_assert_num_queries):
    client.force_login(world.requester)
    note(world.requester, "First", organization=world.agency)
    client.get(PAGE)  # session and user caches warm
    with CaptureQueriesContext(connection) as one:
        assert client.get(PAGE).status_code == 200
    with CaptureQueriesContext(connection) as one_api:
        assert client.get(API).status_code == 200
    for i in range(49):
        note(world.requester, f"More {i}", organization=world.agency if i % 2 else world.supplier)

    with django_assert_num_queries(len(one)):
        assert "More 48" in client.get(PAGE).content.decode()
    with django_assert_num_queries(len(one_api)):
        assert len(client.get(API).json()["results"]) == 50


# --- The API -------------------------------------------------------------------------------------------------------


def test_api_lists_my_notifications_newest_first_and_filters_unread(client, world):
    note(world.requester, "Older and read", read=True, minutes_ago=10)
    newest = note(world.requester, "Newest unread", minutes_ago=1, organization=world.agency)
    note(world.other_requester, "Theirs")
    client.force_login(world.requester)

    body = client.get(API).json()

    assert [row["title"] for row in body["results"]] == ["Newest unread", "Older and read"]
    row = body["results"][0]
    assert row["id"] == newest.pk and row["unread"] is True and row["read_at"] is None
    assert (
        row["kind"] == "shipped" and row["kind_label"] == "An order shipped" and row["organization"] == "city-of-alpha"
    )
    assert [row["title"] for row in client.get(API, {"unread": "1"}).json()["results"]] == ["Newest unread"]
    assert [row["title"] for row in client.get(API, {"unread": "0"}).json()["results"]] == ["Older and read"]


@pytest.mark.parametrize("value", ["abc", "2", "A" * 10_000, "-1"])
def test_api_refuses_a_bad_unread_value(client, world, value):
    client.force_login(world.requester)

    response = client.get(API, {"unread": value})

    assert response.status_code == 400 and "unread" in response.json()["error"]["fields"]


def test_api_marks_one_read_unread_and_all_read(client, world):
    a, b = note(world.requester, "One"), note(world.requester, "Two")
    theirs = note(world.other_requester, "Theirs")
    client.force_login(world.requester)

    response = client.post(f"{API}{a.pk}/read/")
    assert response.status_code == 200 and response.json()["unread"] is False
    assert read_marks(a)[0] is not None

    response = client.post(f"{API}{a.pk}/unread/")
    assert response.status_code == 200 and response.json()["unread"] is True
    assert read_marks(a) == (None,)

    response = client.post(f"{API}read-all/")
    assert response.json() == {"marked": 2}
    assert all(read_marks(a, b)) and read_marks(theirs) == (None,)
    assert client.post(f"{API}read-all/").json() == {"marked": 0}
