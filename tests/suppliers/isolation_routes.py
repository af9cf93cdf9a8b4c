"""Supplier vetting routes in the isolation matrix (tests/core/test_isolation.py).

The profile, documents and stores pages and API are for supplier admins (the catalog manager is refused with 403).
Co-op staff pages and API (staff and admins alike) show a supplier only to the co-op that vets it or holds a
contract with it: world.coop vets world.supplier here; world.other_supplier (vetted by nobody, with a contract of
world.other_coop) answers 404 through world.coop's URL, as does its document or store through our own URL."""

from __future__ import annotations

from marketplace.core.roles import OrgKind
from suppliers.models import StoreLocation, Supplier
from suppliers.vetting.models import SupplierDocument
from tests.isolation import Probe, seed_other_tenant

SUPPLIER, COOP = OrgKind.SUPPLIER, OrgKind.COOPERATIVE
ADMIN = frozenset({"supplier_admin"})
DOCUMENT_NAME = "probe-w9-form.pdf"
STORE = "Probe Store Lakeside"
DESK = "orders@probe-desk.test"
EIN_MASKED = "**-***6789"


def _cached(world, key, make):
    if not hasattr(world, key):
        setattr(world, key, make())
    return getattr(world, key)


def _vetted(world):
    """world.supplier, vetted by world.coop, with a desk e-mail and an EIN the pages show (masked)."""

    def make():
        Supplier.objects.filter(organization=world.supplier).update(
            cooperative=world.coop, order_desk_email=DESK, ein="12-3456789"
        )
        return True

    _cached(world, "probe_vetted", make)
    return {"supplier": world.supplier.slug}


def _document(world):
    _vetted(world)
    row = _cached(
        world,
        "probe_supplier_document",
        lambda: SupplierDocument.objects.create(
            supplier=world.supplier, kind="w9", file="supplier-documents/probe.pdf", original_name=DOCUMENT_NAME
        ),
    )
    return {"supplier_document_id": row.pk}


def _store(world):
    row = _cached(
        world,
        "probe_vetting_store",
        lambda: StoreLocation.objects.create(
            supplier=world.supplier,
            name=STORE,
            address="5 Lake Rd",
            city="Orlando",
            state="FL",
            postal_code="32801",
            latitude="28.5",
            longitude="-81.3",
        ),
    )
    return {"store_id": row.pk}


def _other_document(world):
    row = _cached(
        world,
        "other_supplier_document",
        lambda: SupplierDocument.objects.create(
            supplier=world.other_supplier, kind="w9", file="supplier-documents/other.pdf", original_name="other.pdf"
        ),
    )
    return {"supplier_document_id": row.pk}


def _other_store(world):
    return {"store_id": seed_other_tenant(world).store.pk}


def _other_supplier(world):
    return {"supplier": world.other_supplier.slug}


def _coop_document(world):
    return {**_vetted(world), **_document(world)}


def _other_coop_documents(world):
    """Another supplier's document through our supplier's URL, and our document through the other supplier's."""
    return [
        {**_vetted(world), **_other_document(world)},
        {**_other_supplier(world), **_document(world)},
    ]


def _state(world):
    return (
        tuple(Supplier.objects.values_list("pk", "vetting_status", "legal_name", "vetting_comments").order_by("pk")),
        tuple(SupplierDocument.objects.values_list("pk", "status").order_by("pk")),
        tuple(StoreLocation.objects.values_list("pk", "name", "latitude").order_by("pk")),
    )


def _list(build, shows, kind=SUPPLIER, roles=ADMIN, **kwargs):
    return Probe(kind, roles, extra=lambda w: (build(w), {})[1], shows=lambda w: shows, **kwargs)


def _post(kind, extra, other, ok, roles=None, **kwargs):
    return Probe(
        kind, roles, method="post", extra=extra, other_extra=other, ok=ok, snapshot=_state, shows=None, **kwargs
    )


MATRIX: dict[str, Probe] = {
    # the supplier's own pages
    "supplier-profile": _list(_document, DOCUMENT_NAME),
    "supplier-profile-submit": _post(SUPPLIER, None, None, (302,), ADMIN),
    "supplier-document-upload": _post(SUPPLIER, None, None, (400,), ADMIN, data={"kind": "w9"}),
    "supplier-document-download": Probe(
        SUPPLIER, ADMIN, method="options", extra=_document, other_extra=_other_document, shows=None
    ),
    "supplier-stores": _list(_store, STORE),
    "supplier-store-edit": Probe(SUPPLIER, ADMIN, extra=_store, other_extra=_other_store, shows=lambda w: "5 Lake Rd"),
    # co-op staff
    "coop-suppliers": _list(_vetted, "Alpha Cells LLC", kind=COOP, roles=None),
    "coop-supplier": Probe(COOP, extra=_coop_document, other_extra=_other_supplier, shows=lambda w: DOCUMENT_NAME),
    "coop-supplier-verify": _post(COOP, _vetted, _other_supplier, (302,)),
    "coop-supplier-send-back": _post(COOP, _vetted, _other_supplier, (302,), data={"comments": "Fix the W-9"}),
    "coop-supplier-document-review": _post(
        COOP, _coop_document, _other_coop_documents, (302,), data={"decision": "verify"}
    ),
    "coop-supplier-document-download": Probe(
        COOP, method="options", extra=_coop_document, other_extra=_other_coop_documents, shows=None
    ),
    # API
    "api-supplier-profile": _list(_vetted, DESK, api=True),
    "api-supplier-profile-submit": _post(SUPPLIER, None, None, (409,), ADMIN, api=True),
    "api-supplier-documents": _list(_document, DOCUMENT_NAME, api=True),
    "api-supplier-stores": _list(_store, STORE, api=True),
    "api-supplier-store": Probe(
        SUPPLIER, ADMIN, api=True, extra=_store, other_extra=_other_store, shows=lambda w: "5 Lake Rd"
    ),
    "api-coop-suppliers": _list(_vetted, EIN_MASKED, kind=COOP, roles=None, api=True),
    "api-coop-supplier": Probe(
        COOP, api=True, extra=_coop_document, other_extra=_other_supplier, shows=lambda w: DOCUMENT_NAME
    ),
    "api-coop-supplier-verify": _post(COOP, _vetted, _other_supplier, (409,), api=True),
    "api-coop-supplier-send-back": _post(
        COOP, _vetted, _other_supplier, (409,), api=True, data={"comments": "Fix the W-9"}
    ),
    "api-coop-supplier-document-verify": _post(COOP, _coop_document, _other_coop_documents, (200,), api=True),
}

UNSCOPED_ROUTES: dict[str, str] = {}
