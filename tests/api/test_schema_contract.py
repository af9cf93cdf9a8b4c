"""The API keeps its own OpenAPI contract: schemathesis fuzzes every operation of /api/schema/ as each role.

Each operation is called as an anonymous client, an agency buyer, a supplier catalog manager and co-op staff,
over the WSGI app (no server), inside the test's transaction. Path parameters are the role's own organization
and real objects of the test data, so the requests reach the views' real code, not only the tenant gate's 404.
Any 5xx, an undocumented status code, content type or header, or a body that does not match the schema fails.
"""

from __future__ import annotations

import copy
import functools
import io
import json
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from pypdf import PdfWriter
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from contracts.catalog.search.words import search_words_refresh
from contracts.catalog.services.imports import catalog_import_create, catalog_import_validate
from contracts.catalog.services.pricing import catalog_item_price_request
from contracts.models import CatalogItem, Category
from contracts.services.documents import contract_document_upload
from marketplace.core.roles import OrgKind
from marketplace.core.services.tokens import api_token_create
from tests.catalog_imports.conftest import csv_bytes, row
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


@functools.cache
def _document() -> dict:
    """The schema `/api/schema/` serves (and `manage.py spectacular` validates), generated without a request:
    the endpoint itself runs in a database transaction (ATOMIC_REQUESTS), which collection time cannot open."""
    generator = SchemaGenerator()
    return json.loads(OpenApiJsonRenderer().render(generator.get_schema(request=None, public=True)))


def _load_schema(*, coverage: bool = True):
    """`coverage`: also run schemathesis's coverage phase (boundary values of every parameter and property).
    Generated strings may hold NUL characters (schemathesis's default): they must be refused, not crash."""
    loaded = schemathesis.openapi.from_dict(copy.deepcopy(_document()))
    loaded.app = get_wsgi_application()
    loaded.config.phases.coverage.enabled = coverage
    return loaded


# Reads: schemathesis's coverage phase (boundary values of every query parameter: page 0, page_size 201, a
# string one past maxLength, a status outside the enum, ...) and then fuzzing. Writes: fuzzing only, since
# the coverage phase of a 20-field body is some 400 requests; their bodies are still fuzzed, valid and not.
reads = _load_schema().include(method="GET")
writes = _load_schema(coverage=False).exclude(method="GET")
# A role on another kind's operations only meets the tenant gate (404), whatever the input: fewer cases.
others = _load_schema(coverage=False)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

# role -> the world user who plays it (None: no credentials), and the organization kind it belongs to
ROLES = {
    "anonymous": (None, None),
    "agency_buyer": ("requester", "agencies"),
    "supplier_catalog_manager": ("catalog_manager", "suppliers"),
    "coop_staff": ("coop_staff", "coops"),
}
KINDS = ("agencies", "suppliers", "coops")
EXAMPLES = 20  # fuzzed cases per operation and role, valid and not valid input together
OUTSIDER_EXAMPLES = 5


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _item(contract, sku: str, name: str, list_price: str, contract_price: str) -> CatalogItem:
    category = Category.objects.get(slug="alkaline-lithium-cells")
    return CatalogItem.objects.create(
        contract=contract,
        sku=sku,
        name=name,
        category=category,
        category_path=category.path,
        manufacturer="Duracell",
        list_price=Decimal(list_price),
        contract_price=Decimal(contract_price),
    )


@pytest.fixture
def _keep_test_connection():
    """Requests go through the real WSGI handler, whose request_started/finished signals close a connection
    that is inside a transaction, as the test's is; Django's own test client disconnects them the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(_keep_test_connection, world, settings, tmp_path):
    """world + an active contract of Alpha Co-op and Alpha Cells with items, a pending price increase, a
    document and a previewed catalog import; the path parameter values each role's requests use."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    w = world
    contract = ContractFactory(cooperative=w.coop, supplier=w.supplier, number="CT-ALPHA", slug="ct-alpha")
    items = [
        _item(contract, "DUR-AA24", "Duracell Procell AA Alkaline Battery, 24-pack", "20.00", "13.00"),
        _item(contract, "EN-AAA24", "Energizer Industrial AAA Battery, 24-pack", "18.00", "12.00"),
        _item(contract, "PS-12180", "Power-Sonic 12V 18Ah SLA Battery", "60.00", "40.00"),
    ]
    search_words_refresh()
    change = catalog_item_price_request(
        item=items[0], actor=w.catalog_manager, contract_price=Decimal("14.00"), list_price=None, reason="Cost up"
    )
    document = contract_document_upload(
        contract=contract,
        actor=w.coop_staff,
        kind="award_letter",
        title="Award letter",
        file=SimpleUploadedFile("award.pdf", _pdf(), content_type="application/pdf"),
    )
    imp = catalog_import_create(
        contract=contract,
        actor=w.catalog_manager,
        file=SimpleUploadedFile("catalog.csv", csv_bytes([row(sku="NEW-1")]), content_type="text/csv"),
        run_async=False,
    )
    catalog_import_validate(import_id=imp.pk)
    common = {
        "contract": contract.slug,
        "id": items[1].pk,
        "item_id": items[2].pk,
        "change_id": change.pk,
        "document_id": document.pk,
        "public_id": str(imp.public_id),
    }
    w.path_values = {}
    w.tokens = {}
    for role, (attr, _) in ROLES.items():
        user = getattr(w, attr) if attr else None
        own = {
            OrgKind.AGENCY: w.agency.slug if attr == "requester" else w.other_agency.slug,
            OrgKind.SUPPLIER: w.supplier.slug if attr == "catalog_manager" else w.other_supplier.slug,
            OrgKind.COOPERATIVE: w.coop.slug if attr == "coop_staff" else w.other_coop.slug,
        }
        w.path_values[role] = {**common, "org": own}
        w.tokens[role] = api_token_create(user=user, name="schemathesis")[1] if user else None
    return w


def _org_kind(path: str) -> str | None:
    for prefix, kind in (
        ("/api/v1/agencies/", OrgKind.AGENCY),
        ("/api/v1/suppliers/", OrgKind.SUPPLIER),
        ("/api/v1/coops/", OrgKind.COOPERATIVE),
    ):
        if path.startswith(prefix):
            return kind
    return None


def _call_as(role: str, case, api_world) -> None:
    values = api_world.path_values[role]
    for name in list(case.path_parameters or {}):
        if name == "org":
            case.path_parameters[name] = values["org"][_org_kind(case.operation.path)]
        elif name in values:
            case.path_parameters[name] = values[name]
    token = api_world.tokens[role]
    headers = {"Authorization": f"Token {token}"} if token else None
    case.call_and_validate(headers=headers, checks=CHECKS)


def _contract_test(role: str, schema, max_examples: int):
    @schema.parametrize()
    @settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def test(case, api_world):
        _call_as(role, case, api_world)

    return test


def _paths(kinds) -> str:
    return "^/api/v1/(" + "|".join(f"{kind}/" for kind in kinds) + ")"


# Anonymous: every operation (401 where a login is needed). Each member role: the public operations and its
# own kind's, in depth, then the other kinds' operations (refused at the tenant gate, 404).
test_anonymous_reads = _contract_test("anonymous", reads, EXAMPLES)
test_anonymous_writes = _contract_test("anonymous", writes, EXAMPLES)
for _role, (_, _kind) in list(ROLES.items())[1:]:
    _others = _paths(k for k in KINDS if k != _kind)
    for _name, _schema in (("reads", reads), ("writes", writes)):
        _own = _schema.exclude(path_regex=_others)
        if any(True for _ in _own.get_all_operations()):  # agencies have no write operations (yet)
            globals()[f"test_{_role}_{_name}"] = _contract_test(_role, _own, EXAMPLES)
    globals()[f"test_{_role}_on_other_kinds"] = _contract_test(
        _role, others.include(path_regex=_others), OUTSIDER_EXAMPLES
    )
