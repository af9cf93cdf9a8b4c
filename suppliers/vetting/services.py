"""Supplier vetting writes.

The life of a supplier's vetting status (`suppliers.models.VettingStatus`):

    invited ──submit──▶ submitted ──verify──▶ verified ──insurance lapses (sweep)──▶ suspended
       ▲                    │                                                          │
       └────send back───────┘                  a new certificate of insurance verified ┘ (back to verified)

Every write validates here (forms and serializers only parse types), names the field at fault in its
`ApplicationError`, saves with `update_fields`, records an audit row and notifies after commit (notifications are
written in the transaction and e-mailed by the worker). Uploads pass `pdf_inspect` before anything is stored.
The EIN never appears in full in an audit row or a notification: only its masked form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.models import Invitation, Organization, User
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind, Role
from marketplace.core.services.audit import audit_record
from marketplace.core.services.invitations import invitation_create
from marketplace.core.services.notifications import notification_create
from marketplace.core.services.uploads import pdf_inspect
from suppliers.models import StoreLocation, Supplier, VettingStatus, ein_mask
from suppliers.vetting.models import CertificationType, DocumentKind, DocumentStatus, SupplierDocument
from suppliers.vetting.places import STATES, zip_centroid

Errors = dict[str, list[str]]

EIN_PATTERN = re.compile(r"^\d{2}-\d{7}$")
POSTAL_CODE = re.compile(r"^\d{5}(-\d{4})?$")
MAX_AMOUNT = Decimal("9999999999.99")
COORDINATE_PLACES = Decimal("0.000001")
MAX_RADIUS_MILES = 500
# Days before a certificate of insurance or a certification expires when its holders are warned (once each).
EXPIRY_WARNING_DAYS = (30,)
COMMENTS_MAX = 4000


# --- helpers ---------------------------------------------------------------------------------------------


def _invalid(errors: Errors, message: str = "Some fields are not valid.") -> ApplicationError:
    return ApplicationError("invalid", message, errors)


def _text(data: Mapping[str, Any], name: str, label: str, max_length: int, errors: Errors, *, required=False) -> str:
    value = data.get(name)
    value = "" if value is None else str(value).strip()
    if required and not value:
        errors.setdefault(name, []).append(f"Enter the {label}.")
    elif len(value) > max_length:
        errors.setdefault(name, []).append(f"The {label} can be at most {max_length} characters ({len(value)} given).")
    return value


def _email(data: Mapping[str, Any], name: str, label: str, errors: Errors, *, required=False) -> str:
    value = _text(data, name, label, 254, errors, required=required).lower()
    if value and name not in errors:
        try:
            validate_email(value)
        except ValidationError:
            errors.setdefault(name, []).append(f"Enter a valid {label}, e.g. orders@example.com.")
    return value


def _decimal(value: Any, name: str, label: str, errors: Errors, *, places: int) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "").removeprefix("$"))
    except (InvalidOperation, ValueError):
        errors.setdefault(name, []).append(f"The {label} must be a number.")
        return None
    if not number.is_finite():
        errors.setdefault(name, []).append(f"The {label} must be a number.")
        return None
    if -number.as_tuple().exponent > places:
        errors.setdefault(name, []).append(f"The {label} can have at most {places} decimal places.")
        return None
    return number


def _date(value: Any, name: str, label: str, errors: Errors, *, required=False) -> dt.date | None:
    if value in (None, ""):
        if required:
            errors.setdefault(name, []).append(f"Enter the {label}.")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.setdefault(name, []).append(f"Enter the {label} as a date (YYYY-MM-DD).")
        return None


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes"}
    return bool(value)


def _apply(obj, clean: dict[str, Any]) -> list[str]:
    changed = [name for name, value in clean.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, clean[name])
    if changed:
        obj.save(update_fields=changed)
    return changed


def _lock_supplier(supplier: Supplier) -> Supplier:
    return (
        Supplier.objects.select_for_update(of=("self",))
        .select_related("organization", "cooperative")
        .get(pk=supplier.pk)
    )


def _member_users(organization: Organization | None, roles: Iterable[str]) -> list[User]:
    if organization is None:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organization=organization,
            memberships__role__in=list(roles),
            memberships__is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def _coops_of(supplier: Supplier) -> list[Organization]:
    """The co-ops that see and vet this supplier: the one that invited it, and those with a contract with it."""
    coops = Organization.objects.filter(
        Q(pk=supplier.cooperative_id) | Q(owned_contracts__supplier=supplier.organization_id),
        kind=OrgKind.COOPERATIVE,
    ).distinct()
    return list(coops.order_by("pk"))


def _notify(
    users: Iterable[User], *, organization: Organization, title: str, body: str, url: str, kind: str, exclude=None
) -> int:
    sent = set()
    for user in users:
        if user.pk in sent or (exclude is not None and user.pk == getattr(exclude, "pk", None)):
            continue
        sent.add(user.pk)
        notification_create(user=user, organization=organization, title=title, body=body, url=url, kind=kind)
    return len(sent)


def _notify_supplier(supplier: Supplier, *, title: str, body: str, kind=NotificationKind.ONBOARDING, exclude=None):
    org = supplier.organization
    return _notify(
        _member_users(org, [Role.SUPPLIER_ADMIN]),
        organization=org,
        title=title,
        body=body,
        url=f"/suppliers/{org.slug}/profile/",
        kind=kind,
        exclude=exclude,
    )


def _notify_coop_staff(supplier: Supplier, *, title: str, body: str, kind=NotificationKind.ONBOARDING, exclude=None):
    count = 0
    for coop in _coops_of(supplier):
        count += _notify(
            _member_users(coop, COOP_STAFF_ROLES),
            organization=coop,
            title=title,
            body=body,
            url=f"/coops/{coop.slug}/suppliers/{supplier.organization.slug}/",
            kind=kind,
            exclude=exclude,
        )
    return count


# --- invite ----------------------------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70].strip("-") or "supplier"
    slug, n = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def supplier_invite(
    *, cooperative: Organization, actor: User, data: Mapping[str, Any]
) -> tuple[Supplier, Invitation, str]:
    """Co-op staff bring in a supplier: its organization (unique slug), its profile (invited, vetted by this co-op)
    and an invitation of `admin_email` as supplier admin, all or nothing. Returns the profile, the invitation and
    the invitation's secret (e-mailed; shown to nobody)."""
    if cooperative.kind != OrgKind.COOPERATIVE:
        raise ApplicationError("permission_denied", "Only a cooperative invites suppliers.", status=403)
    errors: Errors = {}
    name = _text(data, "name", "supplier's name", 200, errors, required=True)
    legal_name = _text(data, "legal_name", "legal name", 200, errors) or name
    email = _email(data, "admin_email", "e-mail address of the supplier's admin", errors, required=True)
    message = _text(data, "message", "message", 2000, errors)
    if name and "name" not in errors:
        taken = Organization.objects.filter(kind=OrgKind.SUPPLIER, name__iexact=name).first()
        if taken is not None:
            errors["name"] = [f"A supplier named “{taken.name}” is already on the marketplace."]
    if errors:
        raise _invalid(errors)
    try:
        with transaction.atomic():
            organization = Organization.objects.create(kind=OrgKind.SUPPLIER, name=name, slug=_unique_slug(name))
    except IntegrityError:
        # invited twice at the same moment (a double click, two staff): the other request's supplier stands
        raise ApplicationError(
            "conflict",
            f"A supplier named “{name}” was just added; refresh the list.",
            {"name": ["This supplier was just added."]},
            status=409,
        ) from None
    supplier = Supplier.objects.create(
        organization=organization, legal_name=legal_name, vetting_status=VettingStatus.INVITED, cooperative=cooperative
    )
    invitation, token = invitation_create(
        organization=organization, email=email, roles=[Role.SUPPLIER_ADMIN], actor=actor, message=message
    )
    after = {"supplier": organization.slug, "name": name, "legal_name": legal_name, "admin_email": email}
    audit_record(actor=actor, action="supplier.invited", organization=cooperative, obj=supplier, after=after)
    audit_record(actor=actor, action="supplier.invited", organization=organization, obj=supplier, after=after)
    return supplier, invitation, token


# --- the supplier's profile ------------------------------------------------------------------------------

PROFILE_FIELDS = ("legal_name", "dba", "ein", "remit_to", "order_desk_email", "website", "phone")
# Fixed once the profile is submitted: the co-op vetted these (with the W-9 they must match).
VETTED_FIELDS = {"legal_name": "legal name", "ein": "EIN"}


def _profile_snapshot(supplier: Supplier) -> dict:
    snap = {name: getattr(supplier, name) for name in PROFILE_FIELDS}
    snap["ein"] = ein_mask(supplier.ein)
    return snap


def ein_clean(value: Any, errors: Errors) -> str:
    """`NN-NNNNNNN` (nine digits without the hyphen are accepted and written with it)."""
    ein = "" if value is None else str(value).strip()
    if not ein:
        return ""
    if re.fullmatch(r"\d{9}", ein):
        ein = f"{ein[:2]}-{ein[2:]}"
    if not EIN_PATTERN.match(ein):
        errors["ein"] = ["Enter the EIN as two digits, a hyphen and seven digits, e.g. 12-3456789."]
    elif ein.startswith("00"):
        errors["ein"] = ["An EIN never starts with 00; check the number on your IRS letter."]
    return ein


@transaction.atomic
def supplier_profile_update(*, supplier: Supplier, actor: User, data: Mapping[str, Any]) -> Supplier:
    """The supplier admin completes or corrects the profile. `data` may be partial; missing keys keep their value."""
    supplier = _lock_supplier(supplier)
    merged = {**{name: getattr(supplier, name) for name in PROFILE_FIELDS}, **data}
    errors: Errors = {}
    clean = {
        "legal_name": _text(merged, "legal_name", "legal name", 200, errors, required=True),
        "dba": _text(merged, "dba", "“doing business as” name", 200, errors),
        "remit_to": _text(merged, "remit_to", "remit-to address", 1000, errors),
        "order_desk_email": _email(merged, "order_desk_email", "order-desk e-mail", errors),
        "website": _text(merged, "website", "website", 200, errors),
        "phone": _text(merged, "phone", "phone", 40, errors),
    }
    clean["ein"] = ein_clean(merged.get("ein"), errors)
    if clean["website"] and "website" not in errors and not re.match(r"^https?://[^\s/$.?#].[^\s]*$", clean["website"]):
        errors["website"] = ["Enter the full web address, starting with https://."]
    if supplier.vetting_status != VettingStatus.INVITED:
        # what the co-op vetted stays as vetted: a change goes through the co-op (it sends the profile back)
        who = supplier.cooperative.name if supplier.cooperative_id else "the co-op"
        for name, label in VETTED_FIELDS.items():
            if name not in errors and clean[name] != getattr(supplier, name):
                errors[name] = [
                    f"The {label} is fixed once the profile is submitted for vetting; ask {who} to change it."
                ]
    if errors:
        raise _invalid(errors)
    before = _profile_snapshot(supplier)
    if _apply(supplier, clean):
        after = _profile_snapshot(supplier)
        changed = [k for k in after if before[k] != after[k]]
        audit_record(
            actor=actor,
            action="supplier.profile.updated",
            organization=supplier.organization,
            obj=supplier,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return supplier


# --- documents -------------------------------------------------------------------------------------------


def _document_snapshot(document: SupplierDocument) -> dict:
    snap = {
        "kind": document.kind,
        "status": document.status,
        "original_name": document.original_name,
        "sha256": document.sha256,
        "pages": document.page_count,
        "size_bytes": document.size_bytes,
        "effective_on": document.effective_on.isoformat() if document.effective_on else None,
        "expires_on": document.expires_on.isoformat() if document.expires_on else None,
    }
    if document.kind == DocumentKind.COI:
        for name in ("general_liability", "auto_liability", "workers_comp"):
            value = getattr(document, name)
            snap[name] = None if value is None else str(value)
    if document.kind == DocumentKind.CERT:
        snap.update(certification_type=document.certification_type, issuer=document.issuer, number=document.number)
    return snap


def _document_clean(*, kind: str, data: Mapping[str, Any], file, today: dt.date) -> dict[str, Any]:
    errors: Errors = {}
    clean: dict[str, Any] = {}
    if kind not in DocumentKind.values:
        raise _invalid({"kind": ["Choose the kind of document: W-9, certificate of insurance or certification."]})
    if kind in (DocumentKind.W9, DocumentKind.COI) and file is None:
        errors["file"] = ["Choose the PDF file to upload."]
    if kind == DocumentKind.COI:
        labels = {
            "general_liability": "general liability coverage",
            "auto_liability": "auto liability coverage",
            "workers_comp": "workers' compensation coverage",
        }
        for name, label in labels.items():
            amount = _decimal(data.get(name), name, label, errors, places=2)
            if amount is None and name not in errors:
                errors[name] = [f"Enter the {label} in dollars (0 if none)."]
            elif amount is not None and not Decimal(0) <= amount <= MAX_AMOUNT:
                errors[name] = [f"The {label} must be between $0 and ${MAX_AMOUNT:,.2f}."]
            clean[name] = amount
        clean["effective_on"] = _date(data.get("effective_on"), "effective_on", "date the coverage starts", errors)
        clean["expires_on"] = _date(
            data.get("expires_on"), "expires_on", "date the coverage ends", errors, required=True
        )
    if kind == DocumentKind.CERT:
        certification_type = str(data.get("certification_type") or "").strip()
        if certification_type not in CertificationType.values:
            errors["certification_type"] = ["Choose the type of certification from the list."]
        clean["certification_type"] = certification_type
        clean["issuer"] = _text(data, "issuer", "issuing agency", 200, errors, required=True)
        clean["number"] = _text(data, "number", "certificate number", 80, errors)
        clean["expires_on"] = _date(data.get("expires_on"), "expires_on", "expiry date", errors)
    start, end = clean.get("effective_on"), clean.get("expires_on")
    if start and end and end < start:
        errors["expires_on"] = ["The coverage must end after it starts."]
    elif end and end < today:
        errors["expires_on"] = [f"This expired on {end:%b %-d, %Y}; upload the current one."]
    if errors:
        raise _invalid(errors)
    return clean


@transaction.atomic
def supplier_document_upload(
    *, supplier: Supplier, actor: User, kind: str, data: Mapping[str, Any], file=None, today: dt.date | None = None
) -> SupplierDocument:
    """Add a W-9, a certificate of insurance (with its coverage and dates) or a business certification (PDF
    optional). Checked first, the PDF by content; nothing is stored when anything is refused. A new document waits
    for the co-op's review (staff are told when the supplier is already past its first vetting)."""
    supplier = _lock_supplier(supplier)
    today = today or organization_today(supplier.organization)
    clean = _document_clean(kind=kind, data=data, file=file, today=today)
    document = SupplierDocument(supplier=supplier.organization, kind=kind, uploaded_by=actor, **clean)
    if file is not None:
        document.sha256, document.size_bytes, document.page_count = pdf_inspect(file)
        document.original_name = (getattr(file, "name", "") or "document.pdf").rsplit("/", 1)[-1][:255]
        # The storage write is not transactional: a rolled-back upload leaves an unreferenced file (harmless).
        document.file.save(document.original_name, File(file), save=False)
    document.save()
    audit_record(
        actor=actor,
        action="supplier.document.uploaded",
        organization=supplier.organization,
        obj=document,
        after=_document_snapshot(document),
    )
    if supplier.vetting_status in (VettingStatus.VERIFIED, VettingStatus.SUSPENDED):
        kind = document.get_kind_display()
        kind = kind if kind[:2].isupper() else kind[:1].lower() + kind[1:]  # "a new W-9", "a new certificate of …"
        _notify_coop_staff(
            supplier,
            title=f"{supplier.organization.name} uploaded a new {kind}",
            body=f"{document} is waiting for your review.",
        )
    return document


# --- store locations -------------------------------------------------------------------------------------

STORE_FIELDS = (
    "name",
    "owner_name",
    "address",
    "city",
    "state",
    "postal_code",
    "phone",
    "email",
    "latitude",
    "longitude",
    "service_radius_miles",
    "locally_owned",
    "is_active",
)


def _store_snapshot(store: StoreLocation) -> dict:
    snap = {name: getattr(store, name) for name in STORE_FIELDS}
    snap["latitude"], snap["longitude"] = str(store.latitude), str(store.longitude)
    return snap


def _store_clean(data: Mapping[str, Any], *, supplier: Organization, instance: StoreLocation | None) -> dict:
    errors: Errors = {}
    clean: dict[str, Any] = {
        "name": _text(data, "name", "store name", 200, errors, required=True),
        "owner_name": _text(data, "owner_name", "owner's name", 200, errors),
        "address": _text(data, "address", "street address", 200, errors, required=True),
        "city": _text(data, "city", "city", 100, errors, required=True),
        "state": _text(data, "state", "state", 2, errors, required=True).upper(),
        "postal_code": _text(data, "postal_code", "ZIP code", 10, errors, required=True),
        "phone": _text(data, "phone", "phone", 40, errors),
        "email": _email(data, "email", "store e-mail", errors),
        "locally_owned": _bool(data.get("locally_owned")),
        "is_active": _bool(data.get("is_active", True)),
    }
    if clean["state"] and "state" not in errors and clean["state"] not in STATES:
        errors["state"] = ["Choose a U.S. state (two-letter code, e.g. FL)."]
    radius = data.get("service_radius_miles")
    try:
        radius = int(str(50 if radius in (None, "") else radius).strip())
    except (TypeError, ValueError):
        errors["service_radius_miles"] = [f"Enter the service radius in whole miles, 1 to {MAX_RADIUS_MILES}."]
    else:
        if not 1 <= radius <= MAX_RADIUS_MILES:
            errors["service_radius_miles"] = [f"The service radius must be from 1 to {MAX_RADIUS_MILES} miles."]
    clean["service_radius_miles"] = radius
    for name, label, limit in (("latitude", "latitude", 90), ("longitude", "longitude", 180)):
        value = _decimal(data.get(name), name, label, errors, places=6)
        if value is not None and not -limit <= value <= limit:
            errors.setdefault(name, []).append(f"The {label} must be between −{limit} and {limit}.")
            value = None
        clean[name] = value.quantize(COORDINATE_PLACES) if value is not None else None
    if (clean["latitude"] is None) != (clean["longitude"] is None) and not {"latitude", "longitude"} & errors.keys():
        missing = "longitude" if clean["longitude"] is None else "latitude"
        errors[missing] = ["Give both latitude and longitude, or neither (the ZIP code's centre is used)."]
    postal = clean["postal_code"]
    if postal and "postal_code" not in errors:
        if not POSTAL_CODE.match(postal):
            errors["postal_code"] = ["Enter a 5-digit ZIP code (or ZIP+4, e.g. 32801-1234)."]
        else:
            centroid = zip_centroid(postal)
            if centroid is None:
                errors["postal_code"] = [
                    f"{postal[:5]} is not a known U.S. ZIP code. Check it, or give the store's latitude and longitude."
                ]
            elif clean["state"] in STATES and centroid.state and centroid.state != clean["state"]:
                errors["postal_code"] = [
                    f"ZIP code {postal[:5]} is in {STATES.get(centroid.state, centroid.state)}, "
                    f"not {STATES[clean['state']]}."
                ]
            elif clean["latitude"] is None and clean["longitude"] is None:
                clean["latitude"], clean["longitude"] = centroid.latitude, centroid.longitude
    if clean["name"] and "name" not in errors:
        taken = StoreLocation.objects.for_organization(supplier).filter(name__iexact=clean["name"])
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            errors["name"] = [f"There is already a store named “{clean['name']}”."]
    if errors:
        raise _invalid(errors)
    return clean


@transaction.atomic
def store_location_create(*, supplier: Organization, actor: User, data: Mapping[str, Any]) -> StoreLocation:
    """Add a store. Without coordinates, the ZIP code's centroid (offline) places it; an unknown ZIP is refused."""
    Organization.objects.select_for_update().only("pk").get(pk=supplier.pk)
    clean = _store_clean(data, supplier=supplier, instance=None)
    store = StoreLocation.objects.create(supplier=supplier, **clean)
    audit_record(
        actor=actor, action="supplier.store.created", organization=supplier, obj=store, after=_store_snapshot(store)
    )
    return store


@transaction.atomic
def store_location_update(*, store: StoreLocation, actor: User, data: Mapping[str, Any]) -> StoreLocation:
    """Edit a store. `data` may be partial. A new ZIP code without new coordinates moves the store to its centroid."""
    Organization.objects.select_for_update().only("pk").get(pk=store.supplier_id)
    store = StoreLocation.objects.select_for_update().get(pk=store.pk)
    merged = {name: getattr(store, name) for name in STORE_FIELDS}
    moved = str(data.get("postal_code") or "").strip() != store.postal_code
    if "postal_code" in data and "latitude" not in data and "longitude" not in data and moved:
        merged["latitude"] = merged["longitude"] = None
    merged.update(data)
    before = _store_snapshot(store)
    clean = _store_clean(merged, supplier=store.supplier, instance=store)
    if _apply(store, clean):
        after = _store_snapshot(store)
        changed = [k for k in after if before[k] != after[k]]
        audit_record(
            actor=actor,
            action="supplier.store.updated",
            organization=store.supplier,
            obj=store,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return store


# --- submit, verify, send back ---------------------------------------------------------------------------


def _current(documents: Iterable[SupplierDocument], kind: str, today: dt.date, statuses) -> list[SupplierDocument]:
    return [d for d in documents if d.kind == kind and d.status in statuses and d.is_current(today)]


def vetting_missing(*, supplier: Supplier, today: dt.date, for_verification: bool = False) -> list[str]:
    """What the profile still lacks before it can be submitted (or, `for_verification`, verified)."""
    documents = list(SupplierDocument.objects.for_organization(supplier.organization))
    statuses = (DocumentStatus.VERIFIED,) if for_verification else (DocumentStatus.PENDING, DocumentStatus.VERIFIED)
    adjective = "verified " if for_verification else ""
    missing = []
    if not supplier.legal_name.strip():
        missing.append("the legal name")
    if not supplier.ein:
        missing.append("the EIN")
    if not supplier.remit_to.strip():
        missing.append("the remit-to address")
    if not _current(documents, DocumentKind.W9, today, statuses):
        missing.append(f"a {adjective}W-9")
    if not _current(documents, DocumentKind.COI, today, statuses):
        missing.append(f"a {adjective}certificate of insurance that has not expired")
    return missing


@transaction.atomic
def supplier_submit(*, supplier: Supplier, actor: User, today: dt.date | None = None) -> Supplier:
    """The supplier admin submits the profile for vetting (invited -> submitted), once the required parts are on
    file; otherwise says what is missing and changes nothing."""
    supplier = _lock_supplier(supplier)
    if supplier.vetting_status != VettingStatus.INVITED:
        raise ApplicationError(
            "invalid_transition",
            f"The profile is {supplier.get_vetting_status_display().lower()}; only a profile being completed can be "
            "submitted.",
            status=409,
        )
    today = today or organization_today(supplier.organization)
    missing = vetting_missing(supplier=supplier, today=today)
    if missing:
        raise ApplicationError(
            "not_ready", "Not submitted yet. Still missing: " + "; ".join(missing) + ".", {"profile": missing}
        )
    supplier.vetting_status = VettingStatus.SUBMITTED
    supplier.submitted_at = timezone.now()
    supplier.save(update_fields=["vetting_status", "submitted_at"])
    audit_record(
        actor=actor,
        action="supplier.submitted",
        organization=supplier.organization,
        obj=supplier,
        before={"vetting_status": VettingStatus.INVITED},
        after={"vetting_status": VettingStatus.SUBMITTED},
    )
    _notify_coop_staff(
        supplier,
        title=f"{supplier.organization.name} submitted its profile for vetting",
        body="Review its W-9, insurance and certifications, then verify it or send it back with comments.",
    )
    return supplier


def _staff_check(supplier: Supplier, cooperative: Organization) -> None:
    if cooperative.pk not in {coop.pk for coop in _coops_of(supplier)}:
        raise ApplicationError("not_found", "No such supplier.", status=404)


def _insurance_expiry(supplier: Supplier, today: dt.date) -> dt.date | None:
    verified = SupplierDocument.objects.for_organization(supplier.organization).filter(
        kind=DocumentKind.COI, status=DocumentStatus.VERIFIED, expires_on__gte=today
    )
    return max((d.expires_on for d in verified), default=None)


def _lift_suspension(supplier: Supplier, *, actor: User | None, today: dt.date) -> bool:
    """A suspended supplier with a current verified certificate of insurance is verified again."""
    if supplier.vetting_status != VettingStatus.SUSPENDED:
        return False
    expiry = _insurance_expiry(supplier, today)
    if expiry is None:
        return False
    reason = supplier.suspension_reason
    supplier.vetting_status = VettingStatus.VERIFIED
    supplier.suspension_reason = ""
    supplier.insurance_expires_on = expiry
    supplier.save(update_fields=["vetting_status", "suspension_reason", "insurance_expires_on"])
    audit_record(
        actor=actor,
        action="supplier.reinstated",
        organization=supplier.organization,
        obj=supplier,
        before={"vetting_status": VettingStatus.SUSPENDED, "suspension_reason": reason},
        after={"vetting_status": VettingStatus.VERIFIED, "insurance_expires_on": expiry.isoformat()},
    )
    title = f"{supplier.organization.name}'s catalog is available again"
    body = f"A current certificate of insurance (to {expiry:%b %-d, %Y}) was verified; its items are back in search."
    _notify_supplier(supplier, title=title, body=body, kind=NotificationKind.DOCUMENT_EXPIRY)
    _notify_coop_staff(supplier, title=title, body=body, kind=NotificationKind.DOCUMENT_EXPIRY, exclude=actor)
    return True


def _certifications_sync(supplier: Supplier, today: dt.date) -> None:
    """The profile's summary of its verified, current certifications (what buyers' reports and filters read)."""
    rows = SupplierDocument.objects.for_organization(supplier.organization).filter(
        kind=DocumentKind.CERT, status=DocumentStatus.VERIFIED
    )
    current = [d for d in rows.order_by("certification_type", "pk") if d.is_current(today)]
    summary = [
        {
            "type": d.certification_type,
            "issuer": d.issuer,
            "number": d.number,
            "expires_on": d.expires_on.isoformat() if d.expires_on else None,
        }
        for d in current
    ]
    small = any(d.certification_type == CertificationType.SMALL for d in current)
    changed = _apply(supplier, {"certifications": summary, "small_business": small})
    if changed:
        audit_record(
            actor=None,
            action="supplier.certifications.updated",
            organization=supplier.organization,
            obj=supplier,
            after={"certifications": summary, "small_business": small},
        )


@transaction.atomic
def supplier_document_review(
    *,
    document: SupplierDocument,
    cooperative: Organization,
    actor: User,
    verify: bool,
    comment: str = "",
    today: dt.date | None = None,
) -> SupplierDocument:
    """Co-op staff verify (or reject, with a comment) a document waiting for review. Verifying a current certificate
    of insurance of a suspended supplier lifts the suspension."""
    supplier = _lock_supplier(Supplier.objects.get(organization_id=document.supplier_id))
    _staff_check(supplier, cooperative)
    document = SupplierDocument.objects.select_for_update().get(pk=document.pk)
    comment = (comment or "").strip()
    if len(comment) > COMMENTS_MAX:
        raise _invalid({"comment": [f"Keep the comment under {COMMENTS_MAX:,} characters."]})
    if not verify and not comment:
        raise _invalid({"comment": ["Say why the document is rejected: the supplier sees this."]})
    if document.status != DocumentStatus.PENDING:
        raise ApplicationError(
            "not_pending", f"This document was already {document.get_status_display().lower()}.", status=409
        )
    today = today or organization_today(cooperative)
    if verify and not document.is_current(today):
        raise ApplicationError(
            "expired", f"This document expired on {document.expires_on:%b %-d, %Y}; it cannot be verified.", status=409
        )
    document.status = DocumentStatus.VERIFIED if verify else DocumentStatus.REJECTED
    document.review_comment = comment
    document.reviewed_by, document.reviewed_at = actor, timezone.now()
    document.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor,
        action=f"supplier.document.{'verified' if verify else 'rejected'}",
        organization=supplier.organization,
        obj=document,
        before={"status": DocumentStatus.PENDING},
        after={"status": document.status, "comment": comment, "cooperative": cooperative.slug},
    )
    if document.kind == DocumentKind.COI and verify and supplier.vetting_status == VettingStatus.VERIFIED:
        expiry = _insurance_expiry(supplier, today)
        if expiry != supplier.insurance_expires_on:
            supplier.insurance_expires_on = expiry
            supplier.save(update_fields=["insurance_expires_on"])
    if document.kind == DocumentKind.CERT:
        _certifications_sync(supplier, today)
    lifted = verify and document.kind == DocumentKind.COI and _lift_suspension(supplier, actor=actor, today=today)
    if not lifted:
        verb = "verified" if verify else "rejected"
        body = f"{document} was {verb} by {cooperative.name}." + (f" Comment: {comment}" if comment else "")
        _notify_supplier(supplier, title=f"Your {document.get_kind_display().lower()} was {verb}", body=body)
    return document


@transaction.atomic
def supplier_verify(
    *, supplier: Supplier, cooperative: Organization, actor: User, today: dt.date | None = None
) -> Supplier:
    """Co-op staff verify a submitted supplier: its W-9 and a current certificate of insurance must be verified.
    From then on its contracts can be published."""
    supplier = _lock_supplier(supplier)
    _staff_check(supplier, cooperative)
    if supplier.vetting_status != VettingStatus.SUBMITTED:
        raise ApplicationError(
            "invalid_transition",
            f"This supplier is {supplier.get_vetting_status_display().lower()}; only a submitted profile can be "
            "verified.",
            status=409,
        )
    today = today or organization_today(cooperative)
    missing = vetting_missing(supplier=supplier, today=today, for_verification=True)
    if missing:
        raise ApplicationError("not_ready", "Cannot verify yet. Still missing: " + "; ".join(missing) + ".", status=409)
    supplier.vetting_status = VettingStatus.VERIFIED
    supplier.verified_at = timezone.now()
    supplier.vetting_comments = ""
    supplier.insurance_expires_on = _insurance_expiry(supplier, today)
    supplier.save(update_fields=["vetting_status", "verified_at", "vetting_comments", "insurance_expires_on"])
    audit_record(
        actor=actor,
        action="supplier.verified",
        organization=supplier.organization,
        obj=supplier,
        before={"vetting_status": VettingStatus.SUBMITTED},
        after={"vetting_status": VettingStatus.VERIFIED, "cooperative": cooperative.slug},
    )
    _notify_supplier(
        supplier,
        title=f"{supplier.organization.name} is verified",
        body=f"{cooperative.name} verified your profile. Your contracts can now be published.",
    )
    return supplier


@transaction.atomic
def supplier_send_back(*, supplier: Supplier, cooperative: Organization, actor: User, comments: str) -> Supplier:
    """Co-op staff send a submitted profile back with comments (status invited, "changes requested")."""
    supplier = _lock_supplier(supplier)
    _staff_check(supplier, cooperative)
    comments = (comments or "").strip()
    if not comments:
        raise _invalid({"comments": ["Say what the supplier should change: they see these comments."]})
    if len(comments) > COMMENTS_MAX:
        raise _invalid({"comments": [f"Keep the comments under {COMMENTS_MAX:,} characters."]})
    if supplier.vetting_status != VettingStatus.SUBMITTED:
        raise ApplicationError(
            "invalid_transition",
            f"This supplier is {supplier.get_vetting_status_display().lower()}; only a submitted profile can be sent "
            "back.",
            status=409,
        )
    supplier.vetting_status = VettingStatus.INVITED
    supplier.vetting_comments = comments
    supplier.save(update_fields=["vetting_status", "vetting_comments"])
    audit_record(
        actor=actor,
        action="supplier.sent_back",
        organization=supplier.organization,
        obj=supplier,
        before={"vetting_status": VettingStatus.SUBMITTED},
        after={"vetting_status": VettingStatus.INVITED, "comments": comments, "cooperative": cooperative.slug},
    )
    _notify_supplier(
        supplier, title=f"{cooperative.name} asked for changes to your profile", body=comments, exclude=actor
    )
    return supplier


# --- the expiry sweep ------------------------------------------------------------------------------------


def _suspend(supplier: Supplier, *, lapsed_on: dt.date) -> None:
    reason = (
        f"The certificate of insurance expired on {lapsed_on:%b %-d, %Y}."
        " Upload a current certificate; the catalog returns once the co-op verifies it."
    )
    supplier.vetting_status = VettingStatus.SUSPENDED
    supplier.suspension_reason = reason
    supplier.save(update_fields=["vetting_status", "suspension_reason"])
    audit_record(
        actor=None,
        action="supplier.suspended",
        organization=supplier.organization,
        obj=supplier,
        before={"vetting_status": VettingStatus.VERIFIED},
        after={"vetting_status": VettingStatus.SUSPENDED, "reason": reason},
    )
    name = supplier.organization.name
    title = f"{name}'s catalog is suspended: insurance lapsed"
    _notify_supplier(supplier, title=title, body=reason, kind=NotificationKind.DOCUMENT_EXPIRY)
    _notify_coop_staff(
        supplier,
        title=title,
        body=f"{name}'s items are hidden from search and checkout until a current certificate is verified.",
        kind=NotificationKind.DOCUMENT_EXPIRY,
    )
    # buyers with this supplier's items in their cart (one query; their checkout would refuse those lines)
    buyers = (
        User.objects.filter(
            is_active=True,
            carts__lines__saved_for_later=False,
            carts__lines__item__contract__supplier=supplier.organization,
        )
        .values_list("pk", "carts__agency_id")
        .distinct()
    )
    users = {u.pk: u for u in User.objects.filter(pk__in={pk for pk, _agency in buyers})}
    agencies = {o.pk: o for o in Organization.objects.filter(pk__in={agency for _pk, agency in buyers})}
    for user_pk, agency_pk in buyers:
        agency = agencies[agency_pk]
        notification_create(
            user=users[user_pk],
            organization=agency,
            title=f"Items from {name} in your cart are unavailable",
            body=f"{name} is suspended on the marketplace; its items cannot be ordered for now.",
            url=f"/agencies/{agency.slug}/cart/",
            kind=NotificationKind.DOCUMENT_EXPIRY,
        )


def _warn(document: SupplierDocument, supplier: Supplier, days_left: int, threshold: int) -> None:
    name = supplier.organization.name
    what = document.get_kind_display().lower() if document.kind == DocumentKind.COI else str(document)
    title = f"{name}: {what} expires in {days_left} day{'s' if days_left != 1 else ''}"
    body = f"{what[:1].upper()}{what[1:]} expires on {document.expires_on:%b %-d, %Y}. Upload the renewed document" + (
        "; without a current certificate of insurance the catalog is suspended."
        if document.kind == DocumentKind.COI
        else "."
    )
    _notify_supplier(supplier, title=title, body=body, kind=NotificationKind.DOCUMENT_EXPIRY)
    _notify_coop_staff(supplier, title=title, body=body, kind=NotificationKind.DOCUMENT_EXPIRY)
    audit_record(
        actor=None,
        action="supplier.document.expiry_warned",
        organization=supplier.organization,
        obj=document,
        after={"days": threshold, "expires_on": document.expires_on.isoformat()},
    )


@transaction.atomic
def supplier_expiry_check(*, supplier: Supplier, today: dt.date | None = None) -> dict[str, int]:
    """One supplier's part of the sweep, under its row lock (two sweeps at once act once): warn once per document
    per threshold before a certificate of insurance or a certification expires; suspend a verified supplier whose
    verified insurance has lapsed."""
    supplier = _lock_supplier(supplier)
    today = today or organization_today(supplier.cooperative or supplier.organization)
    result = {"warned": 0, "suspended": 0}
    if supplier.vetting_status == VettingStatus.INVITED and not supplier.submitted_at:
        return result  # still onboarding: nothing of theirs is in use yet
    horizon = today + dt.timedelta(days=max(EXPIRY_WARNING_DAYS))
    soon = SupplierDocument.objects.for_organization(supplier.organization).filter(
        kind__in=(DocumentKind.COI, DocumentKind.CERT),
        status__in=(DocumentStatus.VERIFIED, DocumentStatus.PENDING),
        expires_on__gte=today,
        expires_on__lte=horizon,
    )
    for document in soon.select_for_update():
        days_left = (document.expires_on - today).days
        threshold = min(d for d in EXPIRY_WARNING_DAYS if days_left <= d)
        if threshold in document.expiry_notices:
            continue
        # a renewal already on file (verified or waiting) makes the warning moot
        renewed = SupplierDocument.objects.for_organization(supplier.organization).filter(
            kind=document.kind,
            status__in=(DocumentStatus.VERIFIED, DocumentStatus.PENDING),
            expires_on__gt=horizon,
            **({"certification_type": document.certification_type} if document.kind == DocumentKind.CERT else {}),
        )
        document.expiry_notices = sorted({*document.expiry_notices, threshold})
        document.save(update_fields=["expiry_notices"])
        if renewed.exists():
            continue
        _warn(document, supplier, days_left, threshold)
        result["warned"] += 1
    if supplier.vetting_status == VettingStatus.VERIFIED and _insurance_expiry(supplier, today) is None:
        lapsed = (
            SupplierDocument.objects.for_organization(supplier.organization)
            .filter(kind=DocumentKind.COI, status=DocumentStatus.VERIFIED, expires_on__lt=today)
            .order_by("-expires_on")
            .values_list("expires_on", flat=True)
            .first()
        )
        if lapsed is None and supplier.insurance_expires_on and supplier.insurance_expires_on < today:
            lapsed = supplier.insurance_expires_on  # verified before documents were kept here
        # a supplier verified with no insurance on record at all is not "lapsed": nothing says when it ended
        if lapsed is not None:
            _suspend(supplier, lapsed_on=lapsed)
            result["suspended"] += 1
    return result


def supplier_expiry_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily sweep over every supplier past onboarding (idempotent). `today` moves the calendar in tests; by
    default each supplier's day is its vetting co-op's (or its own) time zone's today."""
    totals = {"warned": 0, "suspended": 0}
    suppliers = (
        Supplier.objects.unscoped()  # a system sweep over every supplier
        .filter(vetting_status__in=(VettingStatus.SUBMITTED, VettingStatus.VERIFIED, VettingStatus.INVITED))
        .order_by("pk")
    )
    for supplier in suppliers:
        result = supplier_expiry_check(supplier=supplier, today=today)
        for key in totals:
            totals[key] += result[key]
    return totals
