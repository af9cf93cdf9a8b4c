"""The audit log is append-only, written on state changes and failed sign-ins, and browsable by the right people."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from marketplace.core.models import AuditEvent
from marketplace.core.services.audit import audit_record

pytestmark = pytest.mark.django_db


def test_audit_rows_cannot_be_updated_or_deleted_by_the_app_or_sql(world):
    event = audit_record(actor=world.agency_admin, action="test.changed", organization=world.agency, after={"x": 1})

    event.action = "tampered"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'tampered' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])

    event.refresh_from_db()
    assert event.action == "test.changed"


def test_failed_sign_in_is_audited_with_the_attempted_email_and_ip(client, world):
    response = client.post(
        "/accounts/login/", {"login": world.requester.email, "password": "wrong"}, REMOTE_ADDR="203.0.113.9"
    )

    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    event = AuditEvent.objects.unscoped().get(action="auth.login_failed")
    assert event.actor is None
    assert event.actor_label == world.requester.email
    assert event.ip_address == "203.0.113.9"
    assert "_auth_user_id" not in client.session


def test_successful_sign_in_is_audited(client, world, password):
    client.post("/accounts/login/", {"login": world.requester.email, "password": password})

    assert AuditEvent.objects.unscoped().filter(action="auth.login", actor=world.requester).count() == 1


def test_org_admin_sees_only_their_own_organizations_events(client, world):
    audit_record(actor=world.agency_admin, action="facility.created", organization=world.agency, obj=world.agency)
    audit_record(actor=world.other_agency_admin, action="facility.secret", organization=world.other_agency)
    client.force_login(world.agency_admin)

    html = client.get("/agencies/city-of-alpha/audit/").content.decode()

    assert "Facility: created" in html
    assert "facility.secret" not in html and "Facility: secret" not in html  # not even in the action choices


def test_staff_audit_page_filters_by_organization_and_object(client, world):
    world.outsider.is_staff = True
    world.outsider.save(update_fields=["is_staff"])
    audit_record(actor=world.agency_admin, action="thing.one", organization=world.agency, obj=world.agency)
    audit_record(
        actor=world.other_agency_admin, action="thing.two", organization=world.other_agency, obj=world.other_agency
    )
    client.force_login(world.outsider)

    by_org = client.get("/staff/audit/", {"organization": "beta-county"}).content.decode()
    by_object = client.get(
        "/staff/audit/", {"object_type": "core.organization", "object_id": str(world.agency.pk)}
    ).content.decode()

    by_org, by_object = by_org.split("<table", 1)[1], by_object.split("<table", 1)[1]  # the rows, not the choices
    assert "Thing: two" in by_org and "Thing: one" not in by_org
    assert "Thing: one" in by_object and "Thing: two" not in by_object


def test_staff_audit_page_is_refused_to_non_staff(client, world):
    client.force_login(world.coop_admin)

    assert client.get("/staff/audit/").status_code == 403


def test_audit_page_shows_changes_by_field_not_as_json(client, world):
    audit_record(
        actor=world.agency_admin, action="thing.changed", organization=world.agency, before={"a": 1}, after={"a": 2}
    )
    client.force_login(world.agency_admin)

    html = client.get("/agencies/city-of-alpha/audit/").content.decode()

    assert "<dt>A</dt>" in html and '<span class="usa-sr-only">was </span>1</span>' in html
    assert "{&quot;a&quot;" not in html
