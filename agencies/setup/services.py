"""Agency set-up writes: departments, facilities, fund codes, approval rules, tax-exemption certificates and
member defaults.

Every write validates here (forms and serializers only parse types), names the field at fault in its
`ApplicationError`, saves with `update_fields` and records an `agency.<thing>.<verb>` audit row with what
changed. Rows are never deleted: departments, facilities, fund codes and rules are deactivated, certificates
withdrawn. Writes that check a rule across rows (unique names, one emergency rule) first lock the agency's
organization row, so two admins cannot both pass the check; partial unique constraints back the rules up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from agencies.models import (
    ApprovalRule,
    Department,
    Facility,
    FundCode,
    MemberDefaults,
    TaxExemptionCertificate,
)
from contracts.models import Category
from contracts.services.contracts import US_STATES
from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.models import Membership, Organization, User
from marketplace.core.roles import ROLES_BY_KIND, OrgKind, Role
from marketplace.core.services.audit import audit_record
from marketplace.core.services.uploads import pdf_inspect

AGENCY_ROLES = ROLES_BY_KIND[OrgKind.AGENCY]
MAX_APPROVALS = 5
MAX_AMOUNT = Decimal("9999999999.99")  # max_digits=12, decimal_places=2
NOTES_MAX = 2000
COORDINATE_PLACES = Decimal("0.000001")  # as stored: decimal_places=6
POSTAL_CODE = re.compile(r"^\d{5}(-\d{4})?$")

Errors = dict[str, list[str]]


# --- helpers ---------------------------------------------------------------------------------------------


def _invalid(errors: Errors) -> ApplicationError:
    return ApplicationError("invalid", "Some fields are not valid.", errors)


def _text(data: Mapping[str, Any], name: str, label: str, max_length: int, errors: Errors, *, required=False) -> str:
    value = data.get(name)
    value = "" if value is None else str(value).strip()
    if required and not value:
        errors.setdefault(name, []).append(f"Enter the {label}.")
    elif len(value) > max_length:
        errors.setdefault(name, []).append(f"The {label} can be at most {max_length} characters ({len(value)} given).")
    return value


def _decimal(value: Any, name: str, label: str, errors: Errors, *, places: int) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
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


def _lock_agency(agency: Organization) -> None:
    Organization.objects.select_for_update().only("pk").get(pk=agency.pk)


def _changes(before: dict, after: dict) -> tuple[dict, dict]:
    changed = [key for key in after if before.get(key) != after[key]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def _apply(obj, clean: dict[str, Any]) -> list[str]:
    """Set the changed attributes of `obj` and save only those; returns their names."""
    changed = [name for name, value in clean.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, clean[name])
    if changed:
        obj.save(update_fields=changed)
    return changed


def _set_active(*, obj, actor: User, active: bool, action: str, extra_after: dict | None = None) -> bool:
    """Flip `is_active` and audit it; False when it already had that value (nothing recorded)."""
    if obj.is_active == active:
        return False
    obj.is_active = active
    obj.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=f"{action}.{'reactivated' if active else 'deactivated'}",
        organization=obj.agency,
        obj=obj,
        before={"is_active": not active},
        after={"is_active": active, **(extra_after or {})},
    )
    return True


def _own(model, agency: Organization, value: Any, name: str, label: str, errors: Errors, *, current_id=None):
    """The agency's own `model` row with id `value` (None for empty), or a field error. An inactive row is
    refused unless it is the one already set (`current_id`); another agency's id reads as unknown."""
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        errors.setdefault(name, []).append(f"Choose a {label} of this agency.")
        return None
    row = model.objects.for_organization(agency).filter(pk=pk).first()
    if row is None:
        errors.setdefault(name, []).append(f"Choose a {label} of this agency.")
        return None
    if not row.is_active and row.pk != current_id:
        errors.setdefault(name, []).append(f"“{row}” is inactive; choose an active {label}.")
        return None
    return row


# --- departments -----------------------------------------------------------------------------------------

DEPARTMENT_FIELDS = ("name", "code")


def _department_snapshot(department: Department) -> dict:
    return {"name": department.name, "code": department.code, "is_active": department.is_active}


def _department_clean(data: Mapping[str, Any], *, agency: Organization, instance: Department | None) -> dict:
    errors: Errors = {}
    clean = {
        "name": _text(data, "name", "name", 150, errors, required=True),
        "code": _text(data, "code", "code", 20, errors),
    }
    if clean["name"] and "name" not in errors:
        taken = Department.objects.for_organization(agency).filter(name__iexact=clean["name"])
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            errors["name"] = [f"There is already a department named “{clean['name']}”."]
    if errors:
        raise _invalid(errors)
    return clean


def _department_merge(department: Department, data: Mapping[str, Any]) -> dict:
    return {**{name: getattr(department, name) for name in DEPARTMENT_FIELDS}, **data}


@transaction.atomic
def department_create(*, agency: Organization, actor: User, data: Mapping[str, Any]) -> Department:
    _lock_agency(agency)
    clean = _department_clean(data, agency=agency, instance=None)
    department = Department.objects.create(agency=agency, **clean)
    audit_record(
        actor=actor,
        action="agency.department.created",
        organization=agency,
        obj=department,
        after=_department_snapshot(department),
    )
    return department


@transaction.atomic
def department_update(*, department: Department, actor: User, data: Mapping[str, Any]) -> Department:
    """Rename or recode a department. `data` may be partial; missing keys keep their value."""
    _lock_agency(department.agency)
    department = Department.objects.select_for_update().get(pk=department.pk)
    before = _department_snapshot(department)
    clean = _department_clean(_department_merge(department, data), agency=department.agency, instance=department)
    if _apply(department, clean):
        changed_before, changed_after = _changes(before, _department_snapshot(department))
        audit_record(
            actor=actor,
            action="agency.department.updated",
            organization=department.agency,
            obj=department,
            before=changed_before,
            after=changed_after,
        )
    return department


@transaction.atomic
def department_set_active(*, department: Department, actor: User, active: bool) -> Department:
    department = Department.objects.select_for_update(of=("self",)).select_related("agency").get(pk=department.pk)
    _set_active(obj=department, actor=actor, active=active, action="agency.department")
    return department


# --- facilities ------------------------------------------------------------------------------------------

FACILITY_FIELDS = (
    "name",
    "address",
    "city",
    "state",
    "postal_code",
    "contact_name",
    "contact_phone",
    "delivery_notes",
    "latitude",
    "longitude",
)


def _facility_snapshot(facility: Facility) -> dict:
    snap = {name: getattr(facility, name) for name in FACILITY_FIELDS}
    for name in ("latitude", "longitude"):
        snap[name] = None if snap[name] is None else str(snap[name])
    snap["is_active"] = facility.is_active
    return snap


def _facility_clean(data: Mapping[str, Any], *, agency: Organization, instance: Facility | None) -> dict:
    errors: Errors = {}
    clean: dict[str, Any] = {
        "name": _text(data, "name", "name", 200, errors, required=True),
        "address": _text(data, "address", "street address", 200, errors, required=True),
        "city": _text(data, "city", "city", 100, errors, required=True),
        "state": _text(data, "state", "state", 2, errors, required=True).upper(),
        "postal_code": _text(data, "postal_code", "ZIP code", 10, errors, required=True),
        "contact_name": _text(data, "contact_name", "contact name", 150, errors),
        "contact_phone": _text(data, "contact_phone", "contact phone", 40, errors),
        "delivery_notes": _text(data, "delivery_notes", "delivery notes", NOTES_MAX, errors),
    }
    if clean["state"] and "state" not in errors and clean["state"] not in US_STATES:
        errors["state"] = ["Choose a U.S. state (two-letter code, e.g. FL)."]
    if clean["postal_code"] and "postal_code" not in errors and not POSTAL_CODE.match(clean["postal_code"]):
        errors["postal_code"] = ["Enter a 5-digit ZIP code (or ZIP+4, e.g. 32801-1234)."]
    for name, label, limit in (("latitude", "latitude", 90), ("longitude", "longitude", 180)):
        value = _decimal(data.get(name), name, label, errors, places=6)
        if value is not None and not -limit <= value <= limit:
            errors.setdefault(name, []).append(f"The {label} must be between −{limit} and {limit}.")
            value = None
        clean[name] = value.quantize(COORDINATE_PLACES) if value is not None else None
    if (clean["latitude"] is None) != (clean["longitude"] is None) and not {"latitude", "longitude"} & errors.keys():
        missing = "longitude" if clean["longitude"] is None else "latitude"
        errors[missing] = ["Give both latitude and longitude, or neither."]
    if clean["name"] and "name" not in errors:
        taken = Facility.objects.for_organization(agency).filter(name__iexact=clean["name"])
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            errors["name"] = [f"There is already a facility named “{clean['name']}”."]
    if errors:
        raise _invalid(errors)
    return clean


@transaction.atomic
def facility_create(*, agency: Organization, actor: User, data: Mapping[str, Any]) -> Facility:
    _lock_agency(agency)
    clean = _facility_clean(data, agency=agency, instance=None)
    facility = Facility.objects.create(agency=agency, **clean)
    audit_record(
        actor=actor,
        action="agency.facility.created",
        organization=agency,
        obj=facility,
        after=_facility_snapshot(facility),
    )
    return facility


@transaction.atomic
def facility_update(*, facility: Facility, actor: User, data: Mapping[str, Any]) -> Facility:
    """Edit a facility's address, contact, delivery notes or coordinates. `data` may be partial."""
    _lock_agency(facility.agency)
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    before = _facility_snapshot(facility)
    merged = {**{name: getattr(facility, name) for name in FACILITY_FIELDS}, **data}
    clean = _facility_clean(merged, agency=facility.agency, instance=facility)
    if _apply(facility, clean):
        changed_before, changed_after = _changes(before, _facility_snapshot(facility))
        audit_record(
            actor=actor,
            action="agency.facility.updated",
            organization=facility.agency,
            obj=facility,
            before=changed_before,
            after=changed_after,
        )
    return facility


@transaction.atomic
def facility_set_active(*, facility: Facility, actor: User, active: bool) -> Facility:
    """Deactivate (no longer a ship-to choice; members who had it as their default lose it) or reactivate."""
    facility = Facility.objects.select_for_update(of=("self",)).select_related("agency").get(pk=facility.pk)
    cleared = 0
    if not active and facility.is_active:
        cleared = (
            MemberDefaults.objects.for_organization(facility.agency).filter(facility=facility).update(facility=None)
        )
    _set_active(
        obj=facility,
        actor=actor,
        active=active,
        action="agency.facility",
        extra_after={"defaults_cleared": cleared} if cleared else None,
    )
    return facility


# --- fund codes ------------------------------------------------------------------------------------------

FUND_CODE_FIELDS = ("code", "description", "department")


def _fund_code_snapshot(fund_code: FundCode) -> dict:
    return {
        "code": fund_code.code,
        "description": fund_code.description,
        "department": fund_code.department.name if fund_code.department_id else None,
        "is_active": fund_code.is_active,
    }


def _fund_code_clean(data: Mapping[str, Any], *, agency: Organization, instance: FundCode | None) -> dict:
    errors: Errors = {}
    clean = {
        "code": _text(data, "code", "code", 40, errors, required=True),
        "description": _text(data, "description", "description", 200, errors),
        "department": _own(
            Department,
            agency,
            data.get("department"),
            "department",
            "department",
            errors,
            current_id=instance.department_id if instance else None,
        ),
    }
    if clean["code"] and "code" not in errors:
        taken = FundCode.objects.for_organization(agency).filter(code__iexact=clean["code"])
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            errors["code"] = [f"There is already a fund code “{clean['code']}”."]
    if errors:
        raise _invalid(errors)
    return clean


@transaction.atomic
def fund_code_create(*, agency: Organization, actor: User, data: Mapping[str, Any]) -> FundCode:
    _lock_agency(agency)
    clean = _fund_code_clean(data, agency=agency, instance=None)
    fund_code = FundCode.objects.create(agency=agency, **clean)
    audit_record(
        actor=actor,
        action="agency.fund_code.created",
        organization=agency,
        obj=fund_code,
        after=_fund_code_snapshot(fund_code),
    )
    return fund_code


@transaction.atomic
def fund_code_update(*, fund_code: FundCode, actor: User, data: Mapping[str, Any]) -> FundCode:
    """Edit a fund code, its description or department. `data` may be partial (department: an id or None)."""
    _lock_agency(fund_code.agency)
    fund_code = FundCode.objects.select_for_update(of=("self",)).select_related("department").get(pk=fund_code.pk)
    before = _fund_code_snapshot(fund_code)
    merged = {"code": fund_code.code, "description": fund_code.description, "department": fund_code.department_id}
    merged.update(data)
    clean = _fund_code_clean(merged, agency=fund_code.agency, instance=fund_code)
    if _apply(fund_code, clean):
        changed_before, changed_after = _changes(before, _fund_code_snapshot(fund_code))
        audit_record(
            actor=actor,
            action="agency.fund_code.updated",
            organization=fund_code.agency,
            obj=fund_code,
            before=changed_before,
            after=changed_after,
        )
    return fund_code


@transaction.atomic
def fund_code_set_active(*, fund_code: FundCode, actor: User, active: bool) -> FundCode:
    """Deactivate (no new order lines; members who had it as their default lose it) or reactivate."""
    fund_code = FundCode.objects.select_for_update(of=("self",)).select_related("agency").get(pk=fund_code.pk)
    cleared = 0
    if not active and fund_code.is_active:
        cleared = (
            MemberDefaults.objects.for_organization(fund_code.agency).filter(fund_code=fund_code).update(fund_code=None)
        )
    _set_active(
        obj=fund_code,
        actor=actor,
        active=active,
        action="agency.fund_code",
        extra_after={"defaults_cleared": cleared} if cleared else None,
    )
    return fund_code


# --- approval rules --------------------------------------------------------------------------------------

RULE_FIELDS = ("name", "min_amount", "approvals_required", "approver_role", "category", "is_emergency")


def _rule_snapshot(rule: ApprovalRule) -> dict:
    return {
        "name": rule.name,
        "min_amount": str(rule.min_amount),
        "approvals_required": rule.approvals_required,
        "approver_role": rule.approver_role,
        "category": rule.category.path if rule.category_id else None,
        "is_emergency": rule.is_emergency,
        "is_active": rule.is_active,
    }


def _rule_conflicts(clean: dict, *, agency: Organization, exclude_pk: int | None) -> Errors:
    """The cross-row rules for an active rule: one emergency rule; one amount rule per threshold (per category)."""
    others = ApprovalRule.objects.for_organization(agency).filter(is_active=True)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if clean["is_emergency"]:
        existing = others.filter(is_emergency=True).first()
        if existing is not None:
            return {"is_emergency": [f"“{existing.name}” is already the active emergency rule; deactivate it first."]}
        return {}
    same = others.filter(is_emergency=False, min_amount=clean["min_amount"], category=clean["category"]).first()
    if same is not None:
        where = f" for {clean['category'].path}" if clean["category"] else ""
        return {
            "min_amount": [
                f"“{same.name}” already starts at ${clean['min_amount']:,.2f}{where}; change that rule instead."
            ]
        }
    return {}


def _rule_clean(data: Mapping[str, Any], *, agency: Organization, instance: ApprovalRule | None) -> dict:
    errors: Errors = {}
    clean: dict[str, Any] = {"name": _text(data, "name", "name", 150, errors, required=True)}
    amount = _decimal(data.get("min_amount"), "min_amount", "threshold", errors, places=2)
    if amount is None and "min_amount" not in errors:
        errors["min_amount"] = ["Enter the amount from which the rule applies (0 for every order)."]
    elif amount is not None and not Decimal(0) <= amount <= MAX_AMOUNT:
        errors["min_amount"] = [f"The threshold must be between $0.00 and ${MAX_AMOUNT:,.2f}."]
    clean["min_amount"] = amount
    approvals = data.get("approvals_required")
    try:
        approvals = int(str(approvals).strip())
    except (TypeError, ValueError):
        errors["approvals_required"] = [f"Enter a whole number of approvals from 0 to {MAX_APPROVALS}."]
    else:
        if not 0 <= approvals <= MAX_APPROVALS:
            errors["approvals_required"] = [f"The number of approvals must be from 0 to {MAX_APPROVALS}."]
    clean["approvals_required"] = approvals
    role = str(data.get("approver_role") or Role.APPROVER).strip()
    if role not in AGENCY_ROLES:
        errors["approver_role"] = ["Choose one of the agency roles: " + ", ".join(sorted(AGENCY_ROLES)) + "."]
    clean["approver_role"] = role
    category = data.get("category")
    clean["category"] = None
    if category not in (None, ""):
        pk = getattr(category, "pk", category)
        found = Category.objects.filter(pk=pk).first() if str(pk).isdigit() else None
        if found is None:
            errors["category"] = ["Choose a category from the list."]
        clean["category"] = found
    clean["is_emergency"] = bool(data.get("is_emergency"))
    if clean["is_emergency"] and clean["category"] is not None:
        errors["category"] = ["The emergency rule applies to every declared emergency; it has no category."]
    if not errors and (instance is None or instance.is_active):
        errors = _rule_conflicts(clean, agency=agency, exclude_pk=instance.pk if instance else None)
    if errors:
        raise _invalid(errors)
    return clean


def _rule_save(fn):
    """The partial unique constraints catch what a concurrent request slipped past the locked checks."""
    try:
        with transaction.atomic():
            return fn()
    except IntegrityError as exc:
        raise ApplicationError(
            "conflict", "Another rule with this threshold (or another emergency rule) was just saved.", status=409
        ) from exc


@transaction.atomic
def approval_rule_create(*, agency: Organization, actor: User, data: Mapping[str, Any]) -> ApprovalRule:
    _lock_agency(agency)
    clean = _rule_clean(data, agency=agency, instance=None)
    rule = _rule_save(lambda: ApprovalRule.objects.create(agency=agency, **clean))
    audit_record(
        actor=actor, action="agency.approval_rule.created", organization=agency, obj=rule, after=_rule_snapshot(rule)
    )
    return rule


@transaction.atomic
def approval_rule_update(*, rule: ApprovalRule, actor: User, data: Mapping[str, Any]) -> ApprovalRule:
    """Edit a rule. `data` may be partial (category: an id or None)."""
    _lock_agency(rule.agency)
    rule = ApprovalRule.objects.select_for_update(of=("self",)).select_related("category").get(pk=rule.pk)
    before = _rule_snapshot(rule)
    merged = {name: getattr(rule, name) for name in RULE_FIELDS}
    merged.update(data)
    clean = _rule_clean(merged, agency=rule.agency, instance=rule)
    if _rule_save(lambda: _apply(rule, clean)):
        changed_before, changed_after = _changes(before, _rule_snapshot(rule))
        audit_record(
            actor=actor,
            action="agency.approval_rule.updated",
            organization=rule.agency,
            obj=rule,
            before=changed_before,
            after=changed_after,
        )
    return rule


@transaction.atomic
def approval_rule_set_active(*, rule: ApprovalRule, actor: User, active: bool) -> ApprovalRule:
    """Deactivate a rule, or reactivate it if it does not clash with the active rules."""
    _lock_agency(rule.agency)
    rule = ApprovalRule.objects.select_for_update(of=("self",)).select_related("agency", "category").get(pk=rule.pk)
    if active and not rule.is_active:
        clean = {"is_emergency": rule.is_emergency, "min_amount": rule.min_amount, "category": rule.category}
        errors = _rule_conflicts(clean, agency=rule.agency, exclude_pk=rule.pk)
        if errors:
            message = next(iter(errors.values()))[0]
            raise ApplicationError("conflict", message, status=409)
    _rule_save(lambda: _set_active(obj=rule, actor=actor, active=active, action="agency.approval_rule"))
    return rule


# --- tax-exemption certificates --------------------------------------------------------------------------


def _certificate_snapshot(certificate: TaxExemptionCertificate) -> dict:
    return {
        "state": certificate.state,
        "number": certificate.number,
        "expires_on": certificate.expires_on.isoformat() if certificate.expires_on else None,
        "sha256": certificate.sha256,
        "pages": certificate.page_count,
        "size_bytes": certificate.size_bytes,
        "original_name": certificate.original_name,
    }


@transaction.atomic
def tax_certificate_upload(
    *, agency: Organization, actor: User, state: str, number: str, expires_on: date | None, file
) -> TaxExemptionCertificate:
    """Add a state's exemption certificate (a PDF, checked by content as compliance documents are).

    Several certificates of one state may be on file (a renewal uploaded before the old one expires);
    checkout uses the valid one that lasts longest (`selectors.valid_tax_certificate`)."""
    errors: Errors = {}
    data = {"state": state, "number": number}
    state = _text(data, "state", "state", 2, errors, required=True).upper()
    if state and "state" not in errors and state not in US_STATES:
        errors["state"] = ["Choose a U.S. state (two-letter code, e.g. FL)."]
    number = _text(data, "number", "certificate number", 60, errors, required=True)
    if expires_on is not None and expires_on < organization_today(agency):
        errors["expires_on"] = [f"This certificate expired on {expires_on:%b %-d, %Y}; upload a current one."]
    if file is None:
        errors["file"] = ["Choose the certificate's PDF file."]
    if errors:
        raise _invalid(errors)
    sha256, size, pages = pdf_inspect(file)
    original = (getattr(file, "name", "") or "certificate.pdf").rsplit("/", 1)[-1][:255]
    certificate = TaxExemptionCertificate(
        agency=agency,
        state=state,
        number=number,
        expires_on=expires_on,
        original_name=original,
        sha256=sha256,
        page_count=pages,
        size_bytes=size,
        uploaded_by=actor,
    )
    # The storage write is not transactional: a rolled-back upload leaves an unreferenced file (harmless).
    certificate.file.save(original, File(file), save=False)
    certificate.save()
    audit_record(
        actor=actor,
        action="agency.tax_certificate.uploaded",
        organization=agency,
        obj=certificate,
        after=_certificate_snapshot(certificate),
    )
    return certificate


@transaction.atomic
def tax_certificate_withdraw(*, certificate: TaxExemptionCertificate, actor: User) -> TaxExemptionCertificate:
    """Withdraw a certificate: checkout no longer uses it; the file and row are kept for the record."""
    certificate = (
        TaxExemptionCertificate.objects.select_for_update(of=("self",)).select_related("agency").get(pk=certificate.pk)
    )
    if certificate.removed_at is not None:
        raise ApplicationError("already_withdrawn", "This certificate was already withdrawn.", status=409)
    certificate.removed_at = timezone.now()
    certificate.save(update_fields=["removed_at"])
    audit_record(
        actor=actor,
        action="agency.tax_certificate.withdrawn",
        organization=certificate.agency,
        obj=certificate,
        before={"removed_at": None},
        after={"removed_at": certificate.removed_at.isoformat()},
    )
    return certificate


# --- member defaults -------------------------------------------------------------------------------------


def _defaults_snapshot(defaults: MemberDefaults) -> dict:
    return {
        "facility": defaults.facility.name if defaults.facility_id else None,
        "fund_code": defaults.fund_code.code if defaults.fund_code_id else None,
    }


@transaction.atomic
def member_defaults_set(
    *, agency: Organization, actor: User, user: User, facility: Any = None, fund_code: Any = None
) -> MemberDefaults:
    """Set a member's default ship-to facility and fund code (ids or rows of this agency; None clears).

    Members set their own; agency admins set anyone's. Inactive facilities and fund codes are refused."""
    memberships = Membership.objects.for_organization(agency).filter(is_active=True)
    if not memberships.filter(user=user).exists():
        raise ApplicationError("not_found", "This person is not a member of the agency.", status=404)
    if actor.pk != user.pk and not memberships.filter(user=actor, role=Role.AGENCY_ADMIN).exists():
        raise ApplicationError("permission_denied", "Only agency admins can set another member's defaults.", status=403)
    defaults, _ = MemberDefaults.objects.select_for_update().get_or_create(agency=agency, user=user)
    errors: Errors = {}
    clean = {
        "facility": _own(Facility, agency, facility, "facility", "facility", errors),
        "fund_code": _own(FundCode, agency, fund_code, "fund_code", "fund code", errors),
    }
    if errors:
        raise _invalid(errors)
    before = _defaults_snapshot(defaults)
    if _apply(defaults, clean):
        changed_before, changed_after = _changes(before, _defaults_snapshot(defaults))
        audit_record(
            actor=actor,
            action="agency.member_defaults.updated",
            organization=agency,
            obj=defaults,
            before={"member": user.email, **changed_before},
            after={"member": user.email, **changed_after},
        )
    return defaults
