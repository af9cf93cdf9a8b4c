"""Per-kind e-mail settings: the page `/account/notifications/` and `GET/PUT /api/v1/me/notification-preferences/`.
Saved in one go and audited; a bad kind, `general` turned off or hostile input is a 4xx and saves nothing."""

from __future__ import annotations

import json

import pytest

from marketplace.core.models import AuditEvent, NotificationPreference
from marketplace.core.notification_kinds import NotificationKind

pytestmark = pytest.mark.django_db

K = NotificationKind
PAGE = "/account/notifications/"
API = "/api/v1/me/notification-preferences/"


def stored(user) -> dict:
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))


def snapshot(user) -> tuple:
    return (
        tuple(NotificationPreference.objects.filter(user=user).order_by("kind").values_list("kind", "email")),
        AuditEvent.objects.filter(action="notification.preferences_changed").count(),
    )


def _all_on_except(*off) -> dict:
    """The page's POST: a checked box sends "on", an unchecked one sends nothing."""
    return {f"email_{kind}": "on" for kind in K.values if kind not in off and kind != K.GENERAL}


# --- The page ------------------------------------------------------------------------------------------------------


def test_page_lists_kinds_in_groups_with_general_always_on(client, world):
    client.force_login(world.requester)

    html = client.get(PAGE).content.decode()

    for heading in ("Ordering: e-mail me", "Receiving: e-mail me", "Invoices and payments", "Catalogs and contracts"):
        assert heading in html
    assert "An order shipped" in html and "A line was backordered" in html
    start = html.index('name="email_general"')
    general = html[html.rindex("<input", 0, start) : html.index(">", start)]
    assert "disabled" in general and "checked" in general
    assert " style=" not in html and "<script>" not in html


def test_page_for_a_coop_member_leaves_out_ordering(client, world):
    client.force_login(world.coop_admin)

    html = client.get(PAGE).content.decode()

    assert "Ordering: e-mail me" not in html and 'name="email_shipped"' not in html
    assert "Catalogs and contracts" in html and 'name="email_contract"' in html


def test_saving_the_page_turns_email_off_per_kind_and_audits_the_change(client, world):
    client.force_login(world.requester)

    response = client.post(PAGE, _all_on_except(K.SHIPPED, K.CATALOG), follow=True)

    assert response.status_code == 200
    assert "Your notification settings were saved." in response.content.decode()
    assert stored(world.requester) == {K.SHIPPED: False, K.CATALOG: False}
    event = AuditEvent.objects.get(action="notification.preferences_changed")
    assert event.actor == world.requester
    assert event.before == {"catalog": True, "shipped": True} and event.after == {"catalog": False, "shipped": False}
    html = response.content.decode()
    start = html.index('name="email_shipped"')
    assert "checked" not in html[html.rindex("<input", 0, start) : html.index(">", start)]

    client.post(PAGE, _all_on_except(K.CATALOG))  # shipped back on

    assert stored(world.requester) == {K.SHIPPED: True, K.CATALOG: False}
    assert AuditEvent.objects.filter(action="notification.preferences_changed").count() == 2


def test_saving_without_a_change_writes_no_audit_row(client, world):
    client.force_login(world.requester)

    client.post(PAGE, _all_on_except())

    assert snapshot(world.requester) == ((), 0)


def test_general_cannot_be_turned_off_from_the_page(client, world):
    client.force_login(world.requester)
    data = _all_on_except()
    data["email_general"] = ""  # a disabled field: the posted value is ignored, general stays on

    client.post(PAGE, data)

    assert K.GENERAL not in stored(world.requester)


@pytest.mark.parametrize(
    "extra",
    [
        {"email_shipped": "x\x00y"},
        {"email_shipped": "A" * 10_000},
        {"email_no_such_kind": "on", "email_'; DROP TABLE x; --": "on"},
        {"email_shipped": ["on", "off", "1"]},
    ],
)
def test_hostile_page_input_is_never_a_500_and_stores_only_known_kinds(client, world, extra):
    client.force_login(world.requester)
    data = {**_all_on_except(), **extra}

    response = client.post(PAGE, data)

    assert response.status_code in (302, 400)
    assert set(stored(world.requester)) <= set(K.values)


def test_page_needs_a_signed_in_user(client, world):
    response = client.post(PAGE, _all_on_except(K.SHIPPED))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert NotificationPreference.objects.count() == 0


# --- The API -------------------------------------------------------------------------------------------------------


def _put(client, body, content_type="application/json"):
    return client.put(API, json.dumps(body) if content_type == "application/json" else body, content_type=content_type)


def test_api_lists_every_kind_with_email_on_by_default(client, world):
    NotificationPreference.objects.create(user=world.requester, kind=K.PAID, email=False)
    NotificationPreference.objects.create(user=world.agency_admin, kind=K.SHIPPED, email=False)
    client.force_login(world.requester)

    body = client.get(API).json()

    rows = {row["kind"]: row for row in body["preferences"]}
    assert set(rows) == set(K.values)
    assert rows["paid"]["email"] is False and rows["shipped"]["email"] is True  # the admin's choice is not mine
    assert rows["general"] == {
        "kind": "general",
        "label": "Other messages",
        "group": "general",
        "email": True,
        "can_turn_off": False,
    }


def test_api_put_sets_the_kinds_named_and_keeps_the_others(client, world):
    NotificationPreference.objects.create(user=world.requester, kind=K.PAID, email=False)
    client.force_login(world.requester)

    response = _put(client, {"preferences": [{"kind": "shipped", "email": False}, {"kind": "overdue", "email": False}]})

    assert response.status_code == 200, response.content
    rows = {row["kind"]: row["email"] for row in response.json()["preferences"]}
    assert rows["shipped"] is False and rows["overdue"] is False and rows["paid"] is False and rows["refund"] is True
    assert stored(world.requester) == {K.PAID: False, K.SHIPPED: False, K.OVERDUE: False}
    assert AuditEvent.objects.filter(action="notification.preferences_changed").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"preferences": [{"kind": "no_such_kind", "email": False}]}, "preferences.0.kind"),
        ({"preferences": [{"kind": "general", "email": False}]}, "general"),
        ({"preferences": [{"kind": "shipped", "email": False}, {"kind": "shipped", "email": True}]}, "preferences"),
        ({"preferences": [{"kind": "shipped", "email": "maybe"}]}, "preferences.0.email"),
        ({"preferences": [{"kind": "ship\x00ped", "email": False}]}, None),  # refused before the view
        ({"preferences": [{"kind": "A" * 10_000, "email": False}]}, "preferences.0.kind"),
        ({"preferences": [{"kind": "shipped"}]}, "preferences.0.email"),
        ({"preferences": "shipped"}, "preferences"),
        ({"preferences": [{"kind": "shipped", "email": False}] * 100}, "preferences"),
        ({}, "preferences"),
    ],
)
def test_api_put_refuses_bad_input_and_saves_nothing(client, world, body, field):
    NotificationPreference.objects.create(user=world.requester, kind=K.PAID, email=False)
    client.force_login(world.requester)
    before = snapshot(world.requester)
    # a valid change riding along with the bad one must not be saved either
    if isinstance(body.get("preferences"), list) and len(body["preferences"]) < 5:
        body = {"preferences": [{"kind": "refund", "email": False}, *body["preferences"]]}
        field = field and field.replace("preferences.0", "preferences.1")

    response = _put(client, body)

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    if field is None:
        assert error["code"] == "bad_request", error
    else:
        assert error["code"] == "invalid" and any(name.startswith(field) for name in error["fields"]), error
    assert snapshot(world.requester) == before


def test_api_put_refuses_a_body_that_is_not_json(client, world):
    client.force_login(world.requester)

    assert _put(client, "shipped=false", content_type="text/plain").status_code == 415
    assert client.put(API, "{not json", content_type="application/json").status_code == 400
    assert snapshot(world.requester) == ((), 0)


def test_api_needs_a_signed_in_user(client, world):
    response = _put(client, {"preferences": [{"kind": "shipped", "email": False}]})

    assert response.status_code in (401, 403) and response.json()["error"]["code"]
    assert NotificationPreference.objects.count() == 0
