"""Co-op staff pages: list, create, edit, publish, terminate."""

from __future__ import annotations

import pytest

from contracts.models import Contract
from contracts.services.documents import contract_document_upload
from marketplace.core.models import AuditEvent
from tests.contracts.conftest import make_pdf, upload

pytestmark = pytest.mark.django_db

FORM = {
    "number": "CM-2026-050",
    "title": "Emergency lighting",
    "description": "",
    "solicitation_number": "RFP 26-01",
    "solicitation_method": "RFP",
    "solicitation_issued_on": "2025-09-01",
    "solicitation_closed_on": "2025-10-01",
    "evaluation_summary": "Best value of four proposals.",
    "award_date": "2025-11-01",
    "term_start": "2026-01-01",
    "term_end": "2028-12-31",
    "renewal_options": "One two-year renewal",
    "pricing_basis": "min_discount",
    "min_discount_percent": "20",
    "admin_fee_percent": "2.5",
    "states": "fl, ga",
}


def _form(world, **overrides):
    return {**FORM, "supplier": world.supplier.pk, "lead_agency": world.agency.pk, **overrides}


def test_home_links_to_the_contract_list(client, world):
    client.force_login(world.coop_staff)
    body = client.get("/coops/alpha-coop/").content.decode()
    assert 'href="/coops/alpha-coop/contracts/"' in body


def test_create_contract_through_the_form(client, world):
    client.force_login(world.coop_staff)
    form_page = client.get("/coops/alpha-coop/contracts/new/").content.decode()
    assert "Alpha Cells" in form_page  # verified supplier offered
    response = client.post("/coops/alpha-coop/contracts/new/", _form(world, available_to=[world.other_coop.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/coops/alpha-coop/contracts/cm-2026-050/"
    contract = Contract.objects.get(number="CM-2026-050")
    assert str(contract.admin_fee_rate) == "0.0250"  # entered as a percent, stored as a fraction
    assert contract.states == ["FL", "GA"]
    assert set(contract.available_to.values_list("slug", flat=True)) == {"alpha-coop", "beta-coop"}
    page = client.get(response["Location"]).content.decode()
    assert "Emergency lighting" in page and "2.5% of sales" in page and "a signed contract document" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"term_end": "2025-01-01"}, "The term must end on or after the day it starts."),
        ({"admin_fee_percent": "12"}, "The admin fee must be between 0 and 10 percent."),
        ({"states": "FL QQ"}, "Unknown state code: QQ."),
        ({"min_discount_percent": ""}, "Enter the minimum discount off list price"),
        ({"solicitation_closed_on": "2025-08-01"}, "The solicitation must close on or after the day it was issued."),
    ],
)
def test_create_form_shows_clear_errors_and_saves_nothing(client, world, overrides, message):
    client.force_login(world.coop_staff)
    response = client.post("/coops/alpha-coop/contracts/new/", _form(world, **overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="error-summary"' in body
    assert message in body
    assert not Contract.objects.exists()


def test_edit_shows_percent_and_saves_changes(client, world, draft):
    client.force_login(world.coop_admin)
    page = client.get(f"/coops/alpha-coop/contracts/{draft.slug}/edit/").content.decode()
    assert 'value="2"' in page  # 0.0200 shown as 2 %
    response = client.post(
        f"/coops/alpha-coop/contracts/{draft.slug}/edit/",
        _form(world, number=draft.number, title="Renamed", admin_fee_percent="1.5"),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Renamed" and str(draft.admin_fee_rate) == "0.0150"


def test_publish_from_the_page_lists_what_is_missing_then_publishes(client, world, draft):
    client.force_login(world.coop_staff)
    url = f"/coops/alpha-coop/contracts/{draft.slug}/status/"
    response = client.post(url, {"to": "active"})
    assert response.status_code == 400
    assert "Cannot publish yet. Missing: a signed contract document." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"

    contract_document_upload(
        contract=draft, actor=world.coop_staff, kind="signed_contract", title="Signed", file=upload(make_pdf())
    )
    assert client.post(url, {"to": "active"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "active"


def test_terminate_needs_a_reason_on_the_page(client, world, draft):
    Contract.objects.filter(pk=draft.pk).update(status="active")
    client.force_login(world.coop_staff)
    url = f"/coops/alpha-coop/contracts/{draft.slug}/status/"
    response = client.post(url, {"to": "terminated", "reason": ""})
    assert response.status_code == 400
    assert "Give the reason for terminating the contract." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "active"
    assert client.post(url, {"to": "terminated", "reason": "Insurance lapsed"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "terminated"
    assert AuditEvent.objects.filter(action="contract.terminated").count() == 1


def test_closed_contract_is_not_editable(client, world, draft):
    Contract.objects.filter(pk=draft.pk).update(status="expired")
    client.force_login(world.coop_staff)
    response = client.get(f"/coops/alpha-coop/contracts/{draft.slug}/edit/")
    assert response.status_code == 302
    response = client.post(f"/coops/alpha-coop/contracts/{draft.slug}/edit/", _form(world, number=draft.number))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Batteries, power and lighting"


def test_list_filters_by_status(client, world, draft):
    client.force_login(world.coop_staff)
    assert draft.number in client.get("/coops/alpha-coop/contracts/?status=draft").content.decode()
    assert draft.number not in client.get("/coops/alpha-coop/contracts/?status=active").content.decode()
