"""`seed_demo`: idempotent. Re-running updates the demo rows in place and never resets passwords."""

from __future__ import annotations

from django.db import transaction

from agencies.models import Agency, Facility
from contracts.catalog.categories import load_categories
from contracts.models import CatalogItem, Category, Contract
from marketplace.core.models import CoopMembership, Membership, Organization, User
from marketplace.core.roles import OrgKind, Role
from marketplace.demo import data
from marketplace.demo.billing import seed_billing
from marketplace.demo.catalog import seed_catalog, seed_catalog_bulk
from marketplace.demo.documents import seed_contract_documents
from marketplace.demo.onboarding import (
    seed_agreement,
    seed_applications,
    seed_invited_supplier,
    seed_supplier_documents,
)
from marketplace.demo.ordering import seed_ordering
from marketplace.demo.users import demo_user
from suppliers.models import StoreLocation, Supplier

DEMO_ITEMS = 2000


def _org(kind: str, spec: dict) -> Organization:
    defaults = {
        "kind": kind,
        "name": spec["name"],
        "code": spec.get("code", ""),
        "time_zone": spec.get("time_zone", "America/New_York"),
        "fiscal_year_start_month": spec.get("fiscal_year_start_month", 7),
    }
    # The demo's own organizations start without an MFA policy so that every demo account signs in with its
    # password alone (README); an admin turns the policy on from the team page, and re-seeding keeps that choice.
    # Organizations created by onboarding (approved applications, invited suppliers) get the default policy.
    org, _ = Organization.objects.update_or_create(
        slug=spec["slug"], defaults=defaults, create_defaults={**defaults, "mfa_required_roles": []}
    )
    for email, name, title, roles in spec["users"]:
        user = demo_user(email, name, title)
        for role in roles:
            Membership.objects.get_or_create(user=user, organization=org, role=role)
    return org


def seed_demo(*, items: int = DEMO_ITEMS, log=print) -> dict[str, int]:
    """The demo world, its contract's realistic catalog (up to 2,000 items) and, for `items` above
    that, bulk benchmark items loaded with COPY."""
    counts, contract = _seed_world()
    staff = User.objects.get(email=data.COOPERATIVE["users"][0][0])
    seed_contract_documents(contract, staff)
    seed_catalog(contract, items=min(items, DEMO_ITEMS))
    if items > DEMO_ITEMS:
        seed_catalog_bulk(contract, items=items, log=log)
    coop = contract.cooperative
    made = {"agreement signatures": seed_agreement(coop, staff)}  # before ordering: checkout needs it
    made.update(seed_ordering(contract, log=log))
    made.update(seed_billing(log=log))
    made["vetting documents"] = seed_supplier_documents(contract.supplier, coop, staff)
    made["join applications"] = seed_applications(coop, staff)
    made["invited suppliers"] = seed_invited_supplier(coop, staff)
    return {
        **counts,
        "catalog items": CatalogItem.objects.filter(contract=contract).count(),
        **{f"new {k}": v for k, v in made.items() if v},
    }


@transaction.atomic
def _seed_world() -> tuple[dict[str, int], Contract]:
    load_categories(Category)  # normally there from the data migration; restored if a table was emptied
    demo_user(*data.OPERATOR, superuser=True)
    coop = _org(OrgKind.COOPERATIVE, data.COOPERATIVE)

    supplier = _org(OrgKind.SUPPLIER, data.SUPPLIER)
    Supplier.objects.update_or_create(organization=supplier, defaults=data.SUPPLIER["profile"])
    for name, owner, address, city, state, postal, lat, lng, radius in data.SUPPLIER["stores"]:
        StoreLocation.objects.update_or_create(
            supplier=supplier,
            name=name,
            defaults={
                "owner_name": owner,
                "address": address,
                "city": city,
                "state": state,
                "postal_code": postal,
                "latitude": lat,
                "longitude": lng,
                "service_radius_miles": radius,
                "locally_owned": True,
            },
        )

    agencies = {}
    for spec in data.AGENCIES:
        agency = _org(OrgKind.AGENCY, spec)
        agencies[spec["slug"]] = agency
        Agency.objects.update_or_create(organization=agency, defaults=spec["profile"])
        for name, address, city, state, postal, contact, lat, lng in spec["facilities"]:
            Facility.objects.update_or_create(
                agency=agency,
                name=name,
                defaults={
                    "address": address,
                    "city": city,
                    "state": state,
                    "postal_code": postal,
                    "contact_name": contact,
                    "latitude": lat,
                    "longitude": lng,
                },
            )
        active = spec["membership"] == "active"
        CoopMembership.objects.update_or_create(
            cooperative=coop,
            agency=agency,
            defaults={
                "status": spec["membership"],
                "applied_on": "2025-11-03",
                "approved_on": "2025-11-20" if active else None,
                "expires_on": "2027-11-20" if active else None,
            },
        )

    contract, _ = Contract.objects.update_or_create(
        number=data.CONTRACT["number"],
        defaults={
            **data.CONTRACT,
            "cooperative": coop,
            "supplier": supplier,
            "lead_agency": agencies["city-of-maple-ridge"],
        },
    )
    contract.available_to.add(coop)
    return {
        "organizations": Organization.objects.count(),
        "users": User.objects.count(),
        "contracts": Contract.objects.count(),
        "stores": StoreLocation.objects.count(),
    }, contract


def demo_logins() -> list[tuple[str, str, str]]:
    """(role description, e-mail, organization) for the README and `make demo` banner."""
    rows = [("platform operator (Django admin)", data.OPERATOR[0], "—")]
    for spec in [data.COOPERATIVE, data.SUPPLIER, *data.AGENCIES]:
        for email, _name, _title, roles in spec["users"]:
            rows.append((", ".join(Role(r).label for r in roles), email, spec["name"]))
    from marketplace.demo.onboarding import INVITED_SUPPLIER

    rows.append((Role.SUPPLIER_ADMIN.label, INVITED_SUPPLIER["admin"][0], INVITED_SUPPLIER["name"]))
    return rows
