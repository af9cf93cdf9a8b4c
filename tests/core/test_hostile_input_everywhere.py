"""Characters PostgreSQL text cannot store (NUL, lone surrogates) are refused as a 400 by one middleware,
on every route, before any view or filter hands them to the database.

`test_every_route_refuses_nul_in_the_query_string` walks every URL pattern (admin and allauth included),
fills its URL arguments with objects of the `world` fixture, signs in as a user allowed there, and checks
that the same request without the NUL is answered normally (so the route was really reached).
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agencies.models import ApprovalRule, Department, FundCode, TaxExemptionCertificate
from agencies.onboarding.services import status_token
from contracts.models import CatalogImport, CatalogItem, Category, CompliancePacket, Contract, PriceChange
from marketplace.core.middleware import has_unstorable_input
from marketplace.core.models import ApiToken, AuditEvent, Notification, Organization
from marketplace.core.roles import OrgKind
from marketplace.core.services.invitations import invitation_create
from marketplace.core.services.tokens import api_token_create
from orders.approvals.services.links import approval_link_path
from orders.models import (
    ApprovalRequest,
    Cart,
    CartLine,
    Discrepancy,
    DiscrepancyKind,
    OrderTemplate,
    OrderTemplateLine,
    Requisition,
)
from suppliers.models import SupplierDocument
from tests.agreements.helpers import acceptance as agreement_acceptance
from tests.agreements.helpers import version as agreement_version
from tests.desk.helpers import pending_cancellation, tenant_po
from tests.factories import ContractFactory, FacilityFactory, StoreLocationFactory, UserFactory
from tests.onboarding.isolation_routes import application_row
from tests.orders.factories import RequisitionFactory, purchase_order
from tests.payments.helpers import invoice_with_card_payment

# Views the walk reaches that answer 404 themselves for this world (so the control GET cannot tell more).
ANSWERS_404_HERE = {
    "mfa_deactivate_totp": "the user has no TOTP authenticator",
    "mfa_view_recovery_codes": "the user has no recovery codes",
    "mfa_download_recovery_codes": "the user has no recovery codes",
    "coop-contract-document": "the probe document's file is not on disk",
    "coop-application-evidence": "the probe application's evidence file is not on disk",
    "coop-application-attachment": "the probe message's attachment is not on disk",
    "public-contract-document": "the probe document's file is not on disk",
    "public-contract-packet-download": "the probe packet is not built",
    "agency-po-pdf": "the probe purchase order's PDF is not rendered",
    "agency-setup-tax-certificate-download": "the probe certificate's file is not on disk",
    "supplier-po-pdf": "the probe purchase order's PDF is not rendered",
    "coop-po-pdf": "the probe purchase order's PDF is not rendered",
    "agency-invoice-pdf": "the probe invoice's PDF is not rendered",
    "supplier-invoice-pdf": "the probe invoice's PDF is not rendered",
    "coop-invoice-pdf": "the probe invoice's PDF is not rendered",
    "coop-agreement-source": "the probe agreement version has no source document",
    "agency-agreement-source": "the probe agreement version has no source document",
    "coop-agreement-pdf": "the probe signed agreement's PDF is not rendered",
    "agency-agreement-pdf": "the probe signed agreement's PDF is not rendered",
    "supplier-document-download": "the probe supplier document's file is not on disk",
    "coop-supplier-document-download": "the probe supplier document's file is not on disk",
}
HOSTILE = {"q": "\x00", "status": "\x00", "contract": "\x00", "state": "\x00", "page": "\x00"}


def _walk(resolver, prefix="", namespace=(), arguments=()):
    """(route, reversible name, URL argument names) for every named URL pattern."""
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        names = (*arguments, *_argument_names(entry.pattern))
        if isinstance(entry, URLResolver):
            yield from _walk(entry, route, (*namespace, entry.namespace) if entry.namespace else namespace, names)
        elif isinstance(entry, URLPattern) and entry.name:
            yield route, ":".join((*namespace, entry.name)), names


def _argument_names(pattern) -> tuple[str, ...]:
    # a path() route's converters name its arguments; a re_path() names them as regex groups
    return tuple(pattern.converters) or tuple(pattern.regex.groupindex)


def _routes():
    return list(_walk(get_resolver()))


class Objects:
    """One object of every kind a URL can name, owned by world.coop / world.supplier / world.agency."""

    def __init__(self, world):
        self.staff = UserFactory(email="operator@platform.test", is_staff=True, is_superuser=True)
        self.contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="NUL-1")
        self.contract.available_to.add(world.coop)
        category = Category.objects.get(slug="led-lamps")
        self.item = CatalogItem.objects.create(
            contract=self.contract,
            sku="NUL-ITEM",
            name="Probe lamp",
            category=category,
            category_path=category.path,
            list_price="20.00",
            contract_price="12.00",
        )
        self.change = PriceChange.objects.create(
            item=self.item, old_price="12.00", new_price="13.00", status="pending", requested_by=world.catalog_manager
        )
        self.catalog_import = CatalogImport.objects.create(
            supplier=world.supplier,
            contract=self.contract,
            file="catalog-imports/probe.csv",
            original_name="probe.csv",
            status="rejected",
            created_by=world.catalog_manager,
        )
        self.document = self.contract.documents.create(
            kind="signed_contract",
            title="Signed agreement",
            file="contracts/nul/probe.pdf",
            original_name="probe.pdf",
            size_bytes=1,
            sha256="0" * 64,
            page_count=1,
            uploaded_by=world.coop_admin,
        )
        self.packet = CompliancePacket.objects.create(contract=self.contract, source_digest="0" * 64)
        self.token, _secret = api_token_create(user=world.coop_admin, name="probe")
        self.notification = Notification.objects.create(user=world.coop_admin, title="NUL probe")
        # an invitation of each organization (team pages and API) and the co-op's link secret (invitation pages)
        self.invitations, self.invitation_tokens = {}, {}
        for org, admin in (
            (world.agency, world.agency_admin),
            (world.supplier, world.supplier_admin),
            (world.coop, world.coop_admin),
        ):
            role = {"agency": "requester", "supplier": "order_desk", "cooperative": "coop_staff"}[org.kind]
            invitation, token = invitation_create(
                organization=org, email=f"nul-{org.slug}@example.test", roles=[role], actor=admin
            )
            self.invitations[org.kind], self.invitation_tokens[org.kind] = invitation, token
        # the agency admin's own cart line and requisition (agency routes are walked as world.agency_admin)
        cart = Cart.objects.create(agency=world.agency, user=world.agency_admin)
        self.cart_line = CartLine.objects.create(
            cart=cart, item=self.item, quantity=1, unit_price_snapshot="12.00", list_price_snapshot="20.00"
        )
        self.requisition = Requisition.objects.create(
            agency=world.agency, requester=world.agency_admin, facility=FacilityFactory(agency=world.agency)
        )
        # the agency's ordering set-up rows
        self.department = Department.objects.create(agency=world.agency, name="NUL Works")
        self.facility = FacilityFactory(agency=world.agency)
        self.fund_code = FundCode.objects.create(agency=world.agency, code="NUL-FC")
        self.rule = ApprovalRule.objects.create(agency=world.agency, name="NUL rule", min_amount="10.00")
        self.certificate = TaxExemptionCertificate.objects.create(
            agency=world.agency,
            state="FL",
            number="NUL-CERT",
            file="tax-certificates/nul/probe.pdf",
            sha256="0" * 64,
            page_count=1,
            size_bytes=1,
        )
        # a sent purchase order of world.agency to world.supplier, and an approval asked of the agency admin
        self.po = purchase_order(world=world, status="sent")
        # an order template of the agency holding the probe item
        self.order_template = OrderTemplate.objects.create(agency=world.agency, name="NUL kit")
        OrderTemplateLine.objects.create(template=self.order_template, item=self.item, quantity=1)
        pending = RequisitionFactory(agency=world.agency, requester=world.requester)
        self.approval_request = ApprovalRequest.objects.create(
            requisition=pending, approver=world.agency_admin, expires_at=timezone.now() + timedelta(days=7)
        )
        # a released purchase order of world.agency to world.supplier on world.coop's contract, with a request to
        # cancel part of a line (the order desk, the agency's and the co-op's order pages)
        self.purchase_order = tenant_po(
            agency=world.agency,
            supplier=world.supplier,
            cooperative=world.coop,
            requester=world.agency_admin,
            number="NUL-PO-1",
            sku_prefix="NUL-PO",
        )
        self.cancellation = pending_cancellation(self.purchase_order, by=world.supplier_admin)
        # an invoice of that order with a card payment (card payment, payment status and credit pages)
        self.invoice, self.payment = invoice_with_card_payment(self.purchase_order, user=world.supplier_admin)
        # a damaged-goods discrepancy on its first line (resolve and answer pages)
        line = self.purchase_order.lines.order_by("pk").first()
        # a vetting document and a store of world.supplier (its profile and the co-op's review pages)
        self.supplier_document = SupplierDocument.objects.create(
            supplier=world.supplier, kind="w9", file="supplier-documents/nul/probe.pdf", original_name="probe.pdf"
        )
        self.store = StoreLocationFactory(supplier=world.supplier, name="NUL store")
        self.discrepancy = Discrepancy.objects.create(
            purchase_order=self.purchase_order,
            po_line=line,
            agency=self.purchase_order.agency,
            supplier=self.purchase_order.supplier,
            kind=DiscrepancyKind.DAMAGED,
            quantity=1,
            created_by=world.requester,
        )
        # a membership application to world.coop (its staff pages; the public pages by its secret token)
        self.application = application_row(world.coop, "NUL Township", "nul.fl.us")
        # world.coop's membership agreement, accepted by world.agency (its signed PDF not rendered)
        self.agreement = agreement_version(world.coop)
        self.acceptance = agreement_acceptance(world.agency, self.agreement, by=world.agency_admin)


def _org_kind(route: str) -> str | None:
    for prefix, kind in (
        ("agencies/", OrgKind.AGENCY),
        ("suppliers/", OrgKind.SUPPLIER),
        ("coops/", OrgKind.COOPERATIVE),
    ):
        if route.removeprefix("api/v1/").startswith(prefix) and "<slug:org>" in route:
            return kind
    return None


def _kwargs(route: str, names: tuple[str, ...], world, objects: Objects) -> dict:
    kind = _org_kind(route)
    org = {OrgKind.AGENCY: world.agency, OrgKind.SUPPLIER: world.supplier, OrgKind.COOPERATIVE: world.coop}
    values = {
        "org": org[kind].slug if kind else None,
        "contract": objects.contract.slug,
        "document_id": objects.document.pk,
        "public_id": objects.requisition.public_id if "checkout/" in route else objects.catalog_import.public_id,
        "line_id": objects.cart_line.pk,
        "department_id": objects.department.pk,
        "facility_id": objects.facility.pk,
        "fund_code_id": objects.fund_code.pk,
        "rule_id": objects.rule.pk,
        "certificate_id": objects.certificate.pk,
        "user_id": {OrgKind.SUPPLIER: world.catalog_manager, OrgKind.COOPERATIVE: world.coop_staff}.get(
            kind, world.requester
        ).pk,
        "invitation_id": objects.invitations[kind].pk if kind else None,
        # an invitation's secret on the invitation pages, an application's status secret on its pages
        "token": (
            status_token(objects.application)
            if route.removeprefix("api/v1/").startswith(("join/", "applications/status/"))
            else objects.invitation_tokens[OrgKind.COOPERATIVE]
        ),
        "po": objects.po.public_id,
        "template": objects.order_template.public_id,
        "requisition": objects.approval_request.requisition.public_id,
        "signed": approval_link_path(approval_request=objects.approval_request).rstrip("/").rsplit("/", 1)[1],
        "po_id": objects.purchase_order.public_id,
        "request_id": objects.cancellation.public_id,
        "invoice_id": objects.invoice.public_id,
        "payment_id": objects.payment.public_id,
        "discrepancy_id": objects.discrepancy.public_id,
        "change_id": objects.change.pk,
        "item_id": objects.item.pk,
        "pk": objects.item.pk,
        "packet_id": objects.packet.pk,
        "token_id": objects.token.pk,
        "notification_id": objects.notification.pk,
        "coop": world.coop.slug,
        "application_id": objects.application.public_id,
        "message_id": objects.application.messages.get().pk,
        "code": "probe-code",
        "version_id": objects.agreement.pk,
        "acceptance_id": objects.acceptance.public_id,
        "supplier": world.supplier.slug,
        "supplier_document_id": objects.supplier_document.pk,
        "store_id": objects.store.pk,
        # allauth: e-mail confirmation and password-reset keys (any well-formed value reaches the view)
        "key": "probe-key",
        "uidb36": "1",
        # Django admin
        "app_label": "core",
        "object_id": str(world.coop.pk),
        "id": str(world.coop_admin.pk),
        "content_type_id": ContentType.objects.get_for_model(Organization).pk,
        "url": "",
    }
    missing = [name for name in names if values.get(name) is None]
    assert not missing, f"{route}: give the hostile-input walk a value for {missing}"
    return {name: values[name] for name in names}


def _user(route: str, world, objects: Objects):
    if route.startswith("admin/") or route.startswith("staff/audit/"):
        return objects.staff
    return {
        OrgKind.AGENCY: world.agency_admin,
        OrgKind.SUPPLIER: world.supplier_admin,
        OrgKind.COOPERATIVE: world.coop_admin,
        None: world.coop_admin,
    }[_org_kind(route)]


def _assert_refused(response, path):
    assert response.status_code == 400, f"{path}: {response.status_code}"
    if path.startswith("/api/"):
        assert response.json() == {
            "error": {"code": "bad_request", "message": response.json()["error"]["message"], "fields": {}}
        }
        assert "cannot be stored" in response.json()["error"]["message"]
    else:
        assert response["Content-Type"].startswith("text/html")
        assert "We could not read this request" in response.content.decode()


@pytest.mark.django_db
def test_every_route_refuses_nul_in_the_query_string(client, world):
    objects = Objects(world)
    routes = _routes()
    assert len(routes) > 100  # admin, allauth, the API and every page
    unreached, not_refused = [], []
    for route, name, names in routes:
        path = reverse(name, kwargs=_kwargs(route, names, world, objects))
        client.force_login(_user(route, world, objects))

        control = client.get(path)  # without the NUL the route is reached and answers
        if control.status_code == 500 or (control.status_code == 404 and name not in ANSWERS_404_HERE):
            unreached.append((path, control.status_code))

        response = client.get(path, HOSTILE)
        if response.status_code != 400:
            not_refused.append((path, response.status_code))
        else:
            _assert_refused(response, path)
    assert not unreached, f"the walk did not reach these views: {unreached}"
    assert not not_refused, f"a NUL in the query string was not refused: {not_refused}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/contracts/",
        "/api/v1/contracts/",
        "/coops/alpha-coop/contracts/",
        "/api/v1/coops/alpha-coop/contracts/",
        "/api/v1/suppliers/alpha-cells/catalog-imports/",
        "/admin/contracts/contract/",
        "/admin/core/coopmembership/",
        "/admin/contracts/compliancepacket/",
        "/admin/core/auditevent/",
    ],
)
@pytest.mark.parametrize("param", ["q", "status", "contract", "state"])
def test_known_list_filters_refuse_nul(client, world, path, param):
    """These answered 500 (`A string literal cannot contain NUL`) before the middleware."""
    user = UserFactory(is_staff=True, is_superuser=True) if path.startswith("/admin/") else None
    client.force_login(user or (world.supplier_admin if "suppliers" in path else world.coop_admin))
    _assert_refused(client.get(path, {param: "a\x00b"}), path)


@pytest.mark.django_db
def test_anonymous_requests_are_refused_too(client, world):
    _assert_refused(client.get("/contracts/", {"q": "\x00"}), "/contracts/")
    _assert_refused(client.get("/api/v1/contracts/", {"q": "\x00"}), "/api/v1/contracts/")


@pytest.mark.django_db
def test_nul_in_a_path_argument_is_refused(client, world):
    """`<str:contract>` matches a NUL, which then reached the contract lookup."""
    client.force_login(world.coop_admin)
    _assert_refused(client.get("/api/v1/coops/alpha-coop/contracts/a%00b/"), "/api/v1/")
    _assert_refused(client.get("/coops/alpha-coop/contracts/a%00b/"), "/coops/")


def _contracts():
    return list(Contract.objects.values_list("pk", "number", "title", "status", "supplier_id").order_by("pk"))


def _write_state():
    return (
        _contracts(),
        list(PriceChange.objects.values_list("pk", "status").order_by("pk")),
        list(CatalogItem.objects.values_list("pk", "contract_price").order_by("pk")),
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
        list(ApiToken.objects.values_list("pk", "name", "revoked_at").order_by("pk")),
    )


CONTRACT_FIELDS = {
    "number": "NEW-1",
    "title": "New lamps",
    "term_start": "2026-01-01",
    "term_end": "2028-01-01",
    "min_discount_percent": "10.00",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/coops/alpha-coop/contracts/", {**CONTRACT_FIELDS, "supplier": "a\x00"}),
        (
            "post",
            "/api/v1/coops/alpha-coop/contracts/",
            {**CONTRACT_FIELDS, "supplier": "alpha-cells", "title": "\ud800"},
        ),
        ("patch", "/api/v1/coops/alpha-coop/contracts/nul-1/", {"supplier": "a\x00"}),
        ("put", "/api/v1/coops/alpha-coop/contracts/nul-1/", {**CONTRACT_FIELDS, "supplier": "a\x00"}),
        ("patch", "/api/v1/coops/alpha-coop/contracts/nul-1/", {"title": ["x", {"nested\x00key": 1}]}),
        ("post", "/api/v1/coops/alpha-coop/contracts/nul-1/transition/", {"to": "terminated", "reason": "x\x00"}),
        ("post", "/api/v1/coops/alpha-coop/price-changes/{change}/reject/", {"reason": "\x00"}),
        ("post", "/api/v1/suppliers/alpha-cells/catalog/items/{item}/price/", {"contract_price": "11.00\x00"}),
    ],
)
def test_api_writes_with_unstorable_json_are_refused_and_change_nothing(client, world, method, path, body):
    objects = Objects(world)
    path = path.format(change=objects.change.pk, item=objects.item.pk)
    client.force_login(world.supplier_admin if "/suppliers/" in path else world.coop_admin)
    before = _write_state()

    response = getattr(client, method)(path, json.dumps(body), content_type="application/json")

    _assert_refused(response, path)
    assert _write_state() == before


@pytest.mark.django_db
def test_a_valid_json_write_still_goes_through(client, world):
    """The check reads the JSON body; the view must still be able to read it afterwards."""
    Objects(world)
    client.force_login(world.coop_admin)
    response = client.patch(
        "/api/v1/coops/alpha-coop/contracts/nul-1/", {"title": "Renamed lamps"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert Contract.objects.get(number="NUL-1").title == "Renamed lamps"


@pytest.mark.django_db
def test_html_form_posts_with_nul_are_refused_and_change_nothing(client, world):
    objects = Objects(world)
    client.force_login(world.coop_admin)
    before = _write_state()

    form = client.post(
        "/coops/alpha-coop/contracts/new/", {**CONTRACT_FIELDS, "supplier": "alpha-cells", "title": "a\x00"}
    )
    edit = client.post(f"/coops/alpha-coop/contracts/{objects.contract.slug}/edit/", {"title": "\x00"})
    revoke = client.post(f"/account/api-tokens/{objects.token.pk}/revoke/", {"next": "\x00"})
    signin = client.post("/accounts/login/", {"login": "a\x00@example.test", "password": "x"})

    for response in (form, edit, revoke, signin):
        _assert_refused(response, "/html")
    assert _write_state() == before


@pytest.mark.django_db
def test_a_multipart_field_with_nul_is_refused_and_changes_nothing(client, world):
    objects = Objects(world)
    client.force_login(world.coop_admin)
    documents = objects.contract.documents.count()
    path = f"/coops/alpha-coop/contracts/{objects.contract.slug}/documents/"

    response = client.post(path, {"title": "a\x00", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})

    _assert_refused(response, path)
    assert objects.contract.documents.count() == documents


def test_the_check_covers_every_string_form_of_input():
    """Surrogates cannot arrive through a query string: Django decodes invalid UTF-8 as U+FFFD."""
    factory = RequestFactory()
    assert has_unstorable_input(factory.get("/x/", {"q": "a\x00"}))
    assert has_unstorable_input(factory.get("/x/", {"a\x00": "key"}))
    assert not has_unstorable_input(factory.get("/x/?q=%ED%A0%80%FF"))  # invalid UTF-8: replaced, storable
    assert has_unstorable_input(factory.post("/x/", '{"a": ["\\ud800"]}', content_type="application/json"))
    assert has_unstorable_input(factory.patch("/x/", "a=%00", content_type="application/x-www-form-urlencoded"))
    assert not has_unstorable_input(factory.post("/x/", "{not json", content_type="application/json"))
    assert not has_unstorable_input(factory.get("/x/", {"q": "lamp ünïcode ✓"}))
