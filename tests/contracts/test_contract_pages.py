"""Co-op staff pages: list, create, edit, publish, terminate."""

from __future__ import annotations

from datetime import date

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


def test_publish_asks_first_and_refuses_what_is_missing(client, world, draft):
    client.force_login(world.coop_staff)
    url = f"/coops/alpha-coop/contracts/{draft.slug}/publish/"
    page = client.get(url).content.decode()
    assert "This draft cannot be published yet" in page and "a signed contract document" in page
    assert "Publish contract</button>" not in page  # nothing to confirm while something is missing

    response = client.post(url)
    assert response.status_code == 400
    assert "Cannot publish yet. Missing: a signed contract document." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not AuditEvent.objects.filter(action="contract.published").exists()


def test_publish_confirmation_says_who_can_buy_from_when_then_publishes(client, world, draft):
    Contract.objects.filter(pk=draft.pk).update(term_start=date(2027, 1, 1))
    draft.available_to.add(world.coop)
    contract_document_upload(
        contract=draft, actor=world.coop_staff, kind="signed_contract", title="Signed", file=upload(make_pdf())
    )
    client.force_login(world.coop_staff)
    detail = client.get(f"/coops/alpha-coop/contracts/{draft.slug}/").content.decode()
    assert f'href="/coops/alpha-coop/contracts/{draft.slug}/publish/"' in detail
    assert "Publish contract</button>" not in detail  # the detail page only leads to the confirmation

    url = f"/coops/alpha-coop/contracts/{draft.slug}/publish/"
    page = client.get(url).content.decode()
    assert "Publish contract CM-2026-001?" in page
    assert "member agencies of Alpha Co-op — 1 active member agency today, in Florida, Georgia." in page
    assert "from Jan 1, 2027, when its term starts. Until then it reads “Starts Jan 1, 2027”" in page
    draft.refresh_from_db()
    assert draft.status == "draft"  # looking at the confirmation changes nothing

    response = client.post(url, follow=True)
    body = response.content.decode()
    assert "Contract CM-2026-001 is published. Member agencies can order on it from Jan 1, 2027" in body
    assert "Starts Jan 1, 2027" in body
    draft.refresh_from_db()
    assert draft.status == "active"
    public = client.get(f"/contracts/{draft.slug}/").content.decode()
    assert "Starts Jan 1, 2027" in public and "This contract starts on Jan 1, 2027." in public
    assert client.get(url).status_code == 302  # published: the confirmation sends you back to the contract


def test_terminate_is_not_inline_on_the_contract_page(client, world, draft):
    Contract.objects.filter(pk=draft.pk).update(status="active")
    client.force_login(world.coop_staff)
    page = client.get(f"/coops/alpha-coop/contracts/{draft.slug}/").content.decode()
    assert 'name="reason"' not in page and "Terminate contract</button>" not in page
    assert f'href="/coops/alpha-coop/contracts/{draft.slug}/terminate/"' in page


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
