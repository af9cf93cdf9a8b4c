"""Vetting rules, one test per rule; every refusal asserts that nothing changed (and no file was stored)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from contracts.models import Contract
from contracts.services.contracts import contract_transition
from marketplace.core.errors import ApplicationError
from marketplace.core.models import AuditEvent, Invitation, Notification, Organization
from suppliers.models import StoreLocation, Supplier, ein_mask
from suppliers.vetting import services
from suppliers.vetting.models import SupplierDocument
from suppliers.vetting.places import zip_centroid
from tests.factories import ContractDocumentFactory, ContractFactory, SupplierFactory
from tests.suppliers.conftest import COI, TODAY, complete, pdf, verified

pytestmark = pytest.mark.django_db


def _files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _state():
    return (
        list(Organization.objects.values_list("pk", "slug").order_by("pk")),
        list(
            Supplier.objects.values_list("pk", "vetting_status", "legal_name", "ein", "vetting_comments").order_by("pk")
        ),
        list(SupplierDocument.objects.values_list("pk", "status").order_by("pk")),
        list(StoreLocation.objects.values_list("pk", "name", "latitude").order_by("pk")),
        Invitation.objects.count(),
        AuditEvent.objects.count(),
        len(_files()),
    )


def _refused(fn, code="invalid", field=None):
    before = _state()
    with pytest.raises(ApplicationError) as exc:
        fn()
    assert exc.value.code == code, exc.value.message
    if field:
        assert field in exc.value.fields, exc.value.fields
    assert _state() == before
    return exc.value


# --- invite ---


def test_invite_creates_the_supplier_its_profile_and_the_admin_invitation(world, invited):
    org = invited.organization
    assert org.kind == "supplier" and org.slug == "volt-beam"
    assert invited.vetting_status == "invited" and invited.cooperative == world.coop
    invitation = Invitation.objects.get(organization=org)
    assert invitation.email == "owner@voltbeam.test" and invitation.roles == ["supplier_admin"]
    assert AuditEvent.objects.filter(action="supplier.invited", organization=world.coop).exists()


def test_invite_gives_a_second_supplier_of_a_similar_name_its_own_slug(world, invited):
    supplier, _inv, _token = services.supplier_invite(
        cooperative=world.coop, actor=world.coop_staff, data={"name": "Volt Beam", "admin_email": "b@x.test"}
    )
    assert supplier.organization.slug == "volt-beam-2"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "admin_email": "a@b.test"}, "name"),
        ({"name": "New Co", "admin_email": "not-an-email"}, "admin_email"),
        ({"name": "Alpha Cells", "admin_email": "a@b.test"}, "name"),  # already on the marketplace
        ({"name": "x" * 201, "admin_email": "a@b.test"}, "name"),
    ],
)
def test_invite_refusals_change_nothing(world, data, field):
    _refused(lambda: services.supplier_invite(cooperative=world.coop, actor=world.coop_staff, data=data), field=field)


def test_invite_is_all_or_nothing_when_the_invitation_is_refused(world, make_member, monkeypatch):
    def refuse(**kwargs):
        raise ApplicationError("already_invited", "pending", status=409)

    monkeypatch.setattr(services, "invitation_create", refuse)
    _refused(
        lambda: services.supplier_invite(
            cooperative=world.coop, actor=world.coop_staff, data={"name": "New Co", "admin_email": "a@b.test"}
        ),
        code="already_invited",
    )


# --- profile and EIN ---


def test_ein_is_format_checked_normalised_and_masked(invited):
    supplier = services.supplier_profile_update(supplier=invited, actor=invited.admin, data={"ein": "123456789"})
    assert supplier.ein == "12-3456789"
    assert supplier.ein_masked == "**-***6789" == ein_mask("12-3456789")
    audit = AuditEvent.objects.get(action="supplier.profile.updated")
    assert audit.after["ein"] == "**-***6789" and "3456789" not in str(audit.after)


@pytest.mark.parametrize("ein", ["12-345678", "1-23456789", "AB-CDEFGHI", "00-1234567", "12 3456789"])
def test_bad_ein_is_refused(invited, ein):
    _refused(
        lambda: services.supplier_profile_update(supplier=invited, actor=invited.admin, data={"ein": ein}),
        field="ein",
    )


def test_profile_refuses_a_bad_order_desk_email_and_an_empty_legal_name(invited):
    _refused(
        lambda: services.supplier_profile_update(
            supplier=invited, actor=invited.admin, data={"order_desk_email": "desk@", "legal_name": " "}
        ),
        field="order_desk_email",
    )


# --- documents ---


def test_a_certificate_of_insurance_keeps_its_coverage_and_dates(invited):
    document = services.supplier_document_upload(
        supplier=invited,
        actor=invited.admin,
        kind="coi",
        data={**COI, "effective_on": "2026-07-01", "expires_on": "2027-06-30"},
        file=pdf("coi.pdf"),
        today=TODAY,
    )
    assert document.status == "pending" and document.general_liability == Decimal("1000000")
    assert document.expires_on == date(2027, 6, 30) and len(document.sha256) == 64 and document.page_count == 1
    assert len(_files()) == 1


@pytest.mark.parametrize(
    ("kind", "data", "file", "field"),
    [
        ("w9", {}, None, "file"),
        ("w9", {}, pdf("w9.pdf", b"GIF89a not a pdf"), "file"),
        ("w9", {}, pdf("w9.pdf", b""), "file"),
        ("coi", {**COI, "expires_on": "2026-11-30"}, pdf(), "expires_on"),  # already expired
        ("coi", {**COI}, pdf(), "expires_on"),
        ("coi", {**COI, "general_liability": "-1", "expires_on": "2027-01-01"}, pdf(), "general_liability"),
        ("coi", {**COI, "auto_liability": "lots", "expires_on": "2027-01-01"}, pdf(), "auto_liability"),
        ("coi", {**COI, "effective_on": "2027-02-01", "expires_on": "2027-01-01"}, pdf(), "expires_on"),
        ("cert", {"certification_type": "royal", "issuer": "x"}, None, "certification_type"),
        ("cert", {"certification_type": "small", "issuer": ""}, None, "issuer"),
        ("passport", {}, pdf(), "kind"),
    ],
)
def test_document_refusals_store_nothing(invited, kind, data, file, field):
    _refused(
        lambda: services.supplier_document_upload(
            supplier=invited, actor=invited.admin, kind=kind, data=data, file=file, today=TODAY
        ),
        code="invalid" if field != "file" or file is None else ("empty_file" if not file.size else "invalid_file"),
        field=field,
    )


def test_a_certification_needs_no_file(invited):
    document = services.supplier_document_upload(
        supplier=invited,
        actor=invited.admin,
        kind="cert",
        data={"certification_type": "local", "issuer": "City of Orlando", "number": "LB-1", "expires_on": "2027-03-01"},
        today=TODAY,
    )
    assert document.kind == "cert" and not document.file and str(document) == "Local business LB-1"


# --- stores and ZIP lookup ---


STORE = {"name": "Downtown", "address": "1 Main St", "city": "Orlando", "state": "FL", "postal_code": "32801"}


def test_zip_centroid_is_offline_and_refuses_unknown_codes():
    found = zip_centroid("32801-1234")
    assert found.state == "FL" and found.city == "Orlando"
    assert abs(found.latitude - Decimal("28.54")) < 1 and abs(found.longitude - Decimal("-81.37")) < 1
    assert zip_centroid("00000") is None and zip_centroid("ABCDE") is None


def test_a_store_without_coordinates_is_placed_at_its_zip_centroid(invited):
    store = services.store_location_create(supplier=invited.organization, actor=invited.admin, data=STORE)
    centroid = zip_centroid("32801")
    assert (store.latitude, store.longitude) == (centroid.latitude, centroid.longitude)
    assert store.service_radius_miles == 50


def test_given_coordinates_win_over_the_zip(invited):
    store = services.store_location_create(
        supplier=invited.organization, actor=invited.admin, data={**STORE, "latitude": "28.1", "longitude": "-81.2"}
    )
    assert store.latitude == Decimal("28.100000")


def test_a_new_zip_moves_the_store_to_its_centroid(invited):
    store = services.store_location_create(supplier=invited.organization, actor=invited.admin, data=STORE)
    store = services.store_location_update(store=store, actor=invited.admin, data={"postal_code": "33101"})
    assert store.latitude == zip_centroid("33101").latitude


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({**STORE, "postal_code": "00000"}, "postal_code", "not a known U.S. ZIP code"),
        ({**STORE, "postal_code": "3280"}, "postal_code", "5-digit"),
        ({**STORE, "state": "GA"}, "postal_code", "is in Florida, not Georgia"),
        ({**STORE, "state": "XX"}, "state", "U.S. state"),
        ({**STORE, "latitude": "28.1"}, "longitude", "both"),
        ({**STORE, "latitude": "95", "longitude": "1"}, "latitude", "between"),
        ({**STORE, "service_radius_miles": "0"}, "service_radius_miles", "1 to 500"),
        ({**STORE, "service_radius_miles": "9e99"}, "service_radius_miles", "whole miles"),
        ({**STORE, "name": ""}, "name", "store name"),
    ],
)
def test_store_refusals_change_nothing(invited, data, field, text):
    exc = _refused(
        lambda: services.store_location_create(supplier=invited.organization, actor=invited.admin, data=data),
        field=field,
    )
    assert text in " ".join(exc.fields[field])


# --- submit, verify, send back ---


def test_submit_lists_what_is_missing_and_changes_nothing(invited):
    exc = _refused(lambda: services.supplier_submit(supplier=invited, actor=invited.admin, today=TODAY), "not_ready")
    assert "a W-9" in exc.message and "certificate of insurance" in exc.message and "the EIN" in exc.message


def test_an_expired_certificate_does_not_count_at_submission(invited):
    supplier = complete(invited, coi_expires=date(2026, 12, 15))
    later = date(2026, 12, 20)
    exc = _refused(lambda: services.supplier_submit(supplier=supplier, actor=supplier.admin, today=later), "not_ready")
    assert "certificate of insurance" in exc.message and "W-9" not in exc.message


def test_submit_then_verify(world, invited):
    supplier = complete(invited)
    supplier = services.supplier_submit(supplier=supplier, actor=supplier.admin, today=TODAY)
    assert supplier.vetting_status == "submitted"
    assert Notification.objects.filter(user=world.coop_staff, title__contains="submitted").exists()
    # documents not yet verified: verifying the supplier is refused
    _refused(
        lambda: services.supplier_verify(
            supplier=supplier, cooperative=world.coop, actor=world.coop_staff, today=TODAY
        ),
        "not_ready",
    )
    for document in SupplierDocument.objects.filter(supplier=supplier.organization):
        services.supplier_document_review(
            document=document, cooperative=world.coop, actor=world.coop_staff, verify=True, today=TODAY
        )
    supplier = services.supplier_verify(supplier=supplier, cooperative=world.coop, actor=world.coop_staff, today=TODAY)
    assert supplier.vetting_status == "verified" and supplier.insurance_expires_on == date(2027, 6, 30)
    assert Notification.objects.filter(user=invited.admin, title__contains="is verified").exists()


def test_send_back_needs_comments_and_shows_them(world, invited):
    supplier = services.supplier_submit(supplier=complete(invited), actor=invited.admin, today=TODAY)
    _refused(
        lambda: services.supplier_send_back(
            supplier=supplier, cooperative=world.coop, actor=world.coop_staff, comments=" "
        ),
        field="comments",
    )
    supplier = services.supplier_send_back(
        supplier=supplier, cooperative=world.coop, actor=world.coop_staff, comments="The W-9 is unsigned."
    )
    assert supplier.vetting_status == "invited" and supplier.changes_requested
    assert (
        Notification.objects.get(user=invited.admin, title__contains="asked for changes").body == "The W-9 is unsigned."
    )
    # resubmitting clears nothing until the co-op decides; a second send back of an invited profile is refused
    _refused(
        lambda: services.supplier_send_back(
            supplier=supplier, cooperative=world.coop, actor=world.coop_staff, comments="x"
        ),
        "invalid_transition",
    )


def test_a_coop_that_does_not_vet_the_supplier_cannot_act_on_it(world, invited):
    supplier = services.supplier_submit(supplier=complete(invited), actor=invited.admin, today=TODAY)
    document = SupplierDocument.objects.filter(supplier=supplier.organization).first()
    for call in (
        lambda: services.supplier_verify(supplier=supplier, cooperative=world.other_coop, actor=world.other_coop_admin),
        lambda: services.supplier_send_back(
            supplier=supplier, cooperative=world.other_coop, actor=world.other_coop_admin, comments="x"
        ),
        lambda: services.supplier_document_review(
            document=document, cooperative=world.other_coop, actor=world.other_coop_admin, verify=True
        ),
    ):
        _refused(call, "not_found")


def test_a_coop_with_a_contract_with_the_supplier_may_vet_it(world, invited):
    ContractFactory(cooperative=world.other_coop, supplier=invited.organization, status="draft")
    supplier = services.supplier_submit(supplier=complete(invited), actor=invited.admin, today=TODAY)
    document = SupplierDocument.objects.filter(supplier=supplier.organization, kind="w9").first()
    services.supplier_document_review(
        document=document, cooperative=world.other_coop, actor=world.other_coop_admin, verify=True, today=TODAY
    )
    assert SupplierDocument.objects.get(pk=document.pk).status == "verified"


def test_reject_needs_a_reason_and_a_document_is_reviewed_once(world, invited):
    supplier = complete(invited)
    document = SupplierDocument.objects.filter(supplier=supplier.organization, kind="w9").first()
    _refused(
        lambda: services.supplier_document_review(
            document=document, cooperative=world.coop, actor=world.coop_staff, verify=False
        ),
        field="comment",
    )
    services.supplier_document_review(
        document=document, cooperative=world.coop, actor=world.coop_staff, verify=False, comment="Unsigned"
    )
    _refused(
        lambda: services.supplier_document_review(
            document=document, cooperative=world.coop, actor=world.coop_staff, verify=True
        ),
        "not_pending",
    )


def test_only_a_verified_suppliers_contract_can_be_published(world, invited):
    contract = ContractFactory(
        cooperative=world.coop,
        supplier=invited.organization,
        status="draft",
        solicitation_number="RFP-1",
        solicitation_method="RFP",
        solicitation_issued_on=date(2026, 1, 1),
        solicitation_closed_on=date(2026, 2, 1),
        evaluation_summary="Best value",
        award_date=date(2026, 3, 1),
    )
    ContractDocumentFactory(contract=contract)
    with pytest.raises(ApplicationError) as exc:
        contract_transition(contract=contract, to="active", actor=world.coop_admin)
    assert "a verified supplier" in exc.value.message
    assert Contract.objects.get(pk=contract.pk).status == "draft"
    verified(world, invited)
    contract_transition(contract=contract, to="active", actor=world.coop_admin)
    assert Contract.objects.get(pk=contract.pk).status == "active"


def test_existing_verified_suppliers_without_documents_are_left_alone_by_the_sweep(world):
    legacy = SupplierFactory(organization__name="Legacy Co")
    assert services.supplier_expiry_sweep(today=TODAY) == {"warned": 0, "suspended": 0}
    assert Supplier.objects.get(pk=legacy.pk).vetting_status == "verified"


def test_legal_name_and_ein_are_fixed_once_submitted(world, invited):
    supplier = services.supplier_submit(supplier=complete(invited), actor=invited.admin, today=TODAY)
    exc = _refused(
        lambda: services.supplier_profile_update(supplier=supplier, actor=invited.admin, data={"ein": "98-7654321"}),
        field="ein",
    )
    assert "ask Alpha Co-op" in exc.fields["ein"][0]
    # the rest stays editable
    supplier = services.supplier_profile_update(
        supplier=supplier, actor=invited.admin, data={"order_desk_email": "desk@voltbeam.test", "ein": "12-3456789"}
    )
    assert supplier.order_desk_email == "desk@voltbeam.test"


def test_a_verified_small_business_certification_marks_the_profile(world, invited):
    document = services.supplier_document_upload(
        supplier=invited,
        actor=invited.admin,
        kind="cert",
        data={"certification_type": "small", "issuer": "SBA", "number": "SB-7", "expires_on": "2027-08-01"},
        today=TODAY,
    )
    services.supplier_document_review(
        document=document, cooperative=world.coop, actor=world.coop_staff, verify=True, today=TODAY
    )
    supplier = Supplier.objects.get(pk=invited.pk)
    assert supplier.small_business is True
    assert supplier.certifications == [{"type": "small", "issuer": "SBA", "number": "SB-7", "expires_on": "2027-08-01"}]
