"""Contract writes: create, edit and the lifecycle (draft → active → expired / terminated), expiry notices.

Every write validates here (forms and serializers only parse types), records an audit row and tells the
people concerned: co-op staff of the owning co-op and the supplier's users.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from contracts.models import Contract, ContractDocument, ContractStatus, DocumentKind, PricingBasis
from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.models import AuditEvent, Membership, Organization, User
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind
from marketplace.core.services.audit import audit_record
from marketplace.core.services.notifications import notification_create
from suppliers.selectors import contract_supplier_list, supplier_is_verified

US_STATES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "AS": "American Samoa",
    "GU": "Guam",
    "MP": "Northern Mariana Islands",
    "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
}

MAX_ADMIN_FEE_RATE = Decimal("0.10")  # 10 %: co-op fees are typically 1–3 %; more is almost surely a typo
EXPIRY_NOTICE_DAYS = (90, 60, 30)
EXPIRY_NOTICE_ACTION = "contract.expiry_notice"
RESERVED_SLUGS = frozenset({"new"})  # would collide with /coops/<org>/contracts/new/
EARLIEST_AWARD_DATE = dt.date(1990, 1, 1)

# The contract's own fields that a write sets (stored columns; audit snapshots list them too).
CONTRACT_FIELDS = (
    "number",
    "title",
    "description",
    "supplier",
    "lead_agency",
    "solicitation_number",
    "solicitation_method",
    "solicitation_issued_on",
    "solicitation_closed_on",
    "evaluation_summary",
    "award_date",
    "term_start",
    "term_end",
    "renewal_options",
    "pricing_basis",
    "min_discount_percent",
    "admin_fee_rate",
    "states",
    "featured",
)
# What a write accepts (the service's input): the admin fee as a percent (2.5 for 2.5 %), converted to the stored
# fraction `admin_fee_rate` here, once; `available_to` is a list of cooperatives.
CONTRACT_INPUT_FIELDS = (
    *(name for name in CONTRACT_FIELDS if name != "admin_fee_rate"),
    "admin_fee_percent",
    "available_to",
)

# The lifecycle. Moves not listed are refused; `SYSTEM_ONLY` moves are made by the expiry sweep, never a person.
TRANSITIONS: dict[str, frozenset[str]] = {
    ContractStatus.DRAFT: frozenset({ContractStatus.ACTIVE}),
    ContractStatus.ACTIVE: frozenset({ContractStatus.EXPIRED, ContractStatus.TERMINATED}),
    ContractStatus.EXPIRED: frozenset(),
    ContractStatus.TERMINATED: frozenset(),
}
SYSTEM_ONLY = frozenset({(ContractStatus.ACTIVE, ContractStatus.EXPIRED)})
TRANSITION_VERBS = {ContractStatus.ACTIVE: "published", ContractStatus.EXPIRED: "expired"}
TRANSITION_VERBS[ContractStatus.TERMINATED] = "terminated"


# --- helpers -------------------------------------------------------------------------------------------


def _invalid(fields: dict[str, list[str]], message: str = "") -> ApplicationError:
    if not message:
        message = next(iter(fields.values()))[0] if len(fields) == 1 else "Some fields are not valid."
    return ApplicationError("invalid", message, fields)


def _snapshot(contract: Contract) -> dict[str, Any]:
    """The contract's fields as JSON-friendly values (audit before/after)."""
    data: dict[str, Any] = {}
    for name in CONTRACT_FIELDS:
        value = getattr(contract, f"{name}_id" if name in ("supplier", "lead_agency") else name)
        if isinstance(value, (dt.date, Decimal)):
            value = str(value)
        data[name] = value
    data["status"] = contract.status
    if contract.pk:
        data["available_to"] = sorted(contract.available_to.values_list("slug", flat=True))
    return data


def contract_states_parse(value: str | list[str] | None) -> list[str]:
    """'fl, GA ga' or ['fl', 'GA'] -> ['FL', 'GA'] (unknown codes are kept, and refused by validation)."""
    if value is None:
        return []
    parts = value.replace(",", " ").replace(";", " ").split() if isinstance(value, str) else value
    return sorted({p.strip().upper() for p in parts if p and p.strip()})


def percent_to_rate(value: Decimal | None) -> Decimal | None:
    """2.5 (%) -> 0.0250 (the stored fraction)."""
    return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.0001"))


def rate_to_percent(value: Decimal | None) -> Decimal | None:
    """0.0250 -> 2.5 (for display and editing; never in exponent notation)."""
    if value is None:
        return None
    percent = (Decimal(value) * 100).quantize(Decimal("0.01"))
    return percent.quantize(Decimal(1)) if percent == percent.to_integral_value() else percent.normalize()


def contract_input(contract: Contract) -> dict[str, Any]:
    """A contract as a write's input (`CONTRACT_INPUT_FIELDS`, the admin fee as a percent): what an edit starts from."""
    data = {name: getattr(contract, name) for name in CONTRACT_FIELDS if name != "admin_fee_rate"}
    data["admin_fee_percent"] = rate_to_percent(contract.admin_fee_rate)
    data["available_to"] = list(contract.available_to.all())
    return data


def _validate(data: dict[str, Any], *, cooperative: Organization, instance: Contract | None) -> dict[str, Any]:
    """Check a full set of contract input (`CONTRACT_INPUT_FIELDS`); returns the contract's fields cleaned, the
    admin fee as the stored `admin_fee_rate`. Raises ApplicationError('invalid') listing every problem at once,
    keyed by input field (so the fee's error is `admin_fee_percent`)."""
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    clean = dict(data)
    number = (clean.get("number") or "").strip()
    clean["number"] = number
    clean["title"] = (clean.get("title") or "").strip()
    if not number:
        err("number", "Enter the contract number.")
    else:
        slug = slugify(number)[:60]
        if not slug:
            err("number", "The contract number needs at least one letter or digit.")
        elif slug in RESERVED_SLUGS:
            err("number", f"“{number}” is reserved; choose another contract number.")
        else:
            others = Contract.objects.unscoped().exclude(pk=instance.pk if instance else None)
            if others.filter(number__iexact=number).exists():
                err("number", f"Contract number {number} is already in use.")
            elif others.filter(slug=slug).exists():
                err("number", f"Contract number {number} is too similar to an existing one (same web address).")
        if instance is not None and instance.status != ContractStatus.DRAFT and number != instance.number:
            err("number", "The number of a published contract cannot change (its public address uses it).")
    if not clean["title"]:
        err("title", "Enter the contract title.")

    supplier = clean.get("supplier")
    if supplier is None:
        err("supplier", "Choose the supplier.")
    elif supplier.kind != OrgKind.SUPPLIER:
        err("supplier", f"{supplier.name} is not a supplier.")
    elif (instance is None or instance.supplier_id != supplier.pk) and not (
        contract_supplier_list(cooperative=cooperative).filter(pk=supplier.pk).exists()
    ):
        err(
            "supplier",
            f"{supplier.name} is not verified and not being vetted by your co-op; invite it as a supplier first "
            "(a contract can be drafted while its vetting is under way, and published once it is verified).",
        )
    lead = clean.get("lead_agency")
    if lead is not None and lead.kind != OrgKind.AGENCY:
        err("lead_agency", f"{lead.name} is not an agency.")

    start, end = clean.get("term_start"), clean.get("term_end")
    if start is None:
        err("term_start", "Enter the date the term starts.")
    if end is None:
        err("term_end", "Enter the date the term ends.")
    if start and end and end < start:
        err("term_end", "The term must end on or after the day it starts.")

    issued, closed = clean.get("solicitation_issued_on"), clean.get("solicitation_closed_on")
    if issued and closed and closed < issued:
        err("solicitation_closed_on", "The solicitation must close on or after the day it was issued.")
    award = clean.get("award_date")
    if award:
        if award < EARLIEST_AWARD_DATE:
            err("award_date", f"The award date must be after {EARLIEST_AWARD_DATE:%B %-d, %Y}.")
        elif closed and award < closed:
            err("award_date", "The contract cannot be awarded before the solicitation closed.")
        elif issued and award < issued:
            err("award_date", "The contract cannot be awarded before the solicitation was issued.")
        elif end and award > end:
            err("award_date", "The award date must be on or before the end of the term.")
        elif award > timezone.localdate() + dt.timedelta(days=365):
            err("award_date", "The award date is more than a year away; check the year.")

    basis = clean.get("pricing_basis") or PricingBasis.MIN_DISCOUNT
    clean["pricing_basis"] = basis
    if basis not in PricingBasis.values:
        err("pricing_basis", "Choose a pricing basis.")
    discount = clean.get("min_discount_percent")
    if basis == PricingBasis.MIN_DISCOUNT:
        if discount is None:
            err(
                "min_discount_percent",
                "Enter the minimum discount off list price (a minimum-discount contract needs one).",
            )
        elif not Decimal(0) <= Decimal(discount) <= Decimal(100):
            err("min_discount_percent", "The minimum discount must be between 0 and 100 percent.")
    else:
        clean["min_discount_percent"] = None  # a fixed-price contract has no discount floor
    rate = percent_to_rate(clean.pop("admin_fee_percent", None))
    clean["admin_fee_rate"] = Decimal("0") if rate is None else rate
    if not Decimal(0) <= clean["admin_fee_rate"] <= MAX_ADMIN_FEE_RATE:
        err("admin_fee_percent", f"The admin fee must be between 0 and {MAX_ADMIN_FEE_RATE * 100:.0f} percent.")

    states = contract_states_parse(clean.get("states"))
    unknown = [s for s in states if s not in US_STATES]
    if unknown:
        err(
            "states",
            f"Unknown state code{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            "Use two-letter USPS codes such as FL or GA.",
        )
    clean["states"] = states
    clean["featured"] = bool(clean.get("featured"))  # shown on the front page only while the contract is in force

    coops = clean.get("available_to") or []
    not_coops = [c.name for c in coops if c.kind != OrgKind.COOPERATIVE]
    if not_coops:
        err("available_to", f"Only cooperatives can make a contract available: {', '.join(not_coops)}.")
    clean["available_to"] = {c.pk: c for c in [cooperative, *coops]}.values()

    for field in ("description", "solicitation_number", "solicitation_method", "evaluation_summary", "renewal_options"):
        clean[field] = (clean.get(field) or "").strip()
    if errors:
        raise _invalid(errors)
    return clean


def _supplier_is_verified(supplier: Organization) -> bool:
    return supplier_is_verified(organization=supplier)


def _recipients(contract: Contract) -> list[User]:
    """Co-op staff of the owning co-op and every active user of the supplier, once each."""
    memberships = (
        Membership.objects.active()
        .filter(
            Q(organization=contract.cooperative, role__in=COOP_STAFF_ROLES) | Q(organization=contract.supplier_id),
            user__is_active=True,
        )
        .select_related("user", "organization")
        .order_by("user_id")
    )
    users: dict[int, tuple[User, Organization]] = {}
    for m in memberships:
        users.setdefault(m.user_id, (m.user, m.organization))
    return list(users.values())


def _notify(contract: Contract, *, title: str, body: str, exclude: User | None = None) -> int:
    sent = 0
    for user, organization in _recipients(contract):
        if exclude is not None and user.pk == exclude.pk:
            continue
        if organization.kind == OrgKind.COOPERATIVE:
            url = f"/coops/{organization.slug}/contracts/{contract.slug}/"
        else:
            url = f"/contracts/{contract.slug}/"
        notification_create(
            user=user, title=title, body=body, url=url, organization=organization, kind=NotificationKind.CONTRACT
        )
        sent += 1
    return sent


# --- create / update -----------------------------------------------------------------------------------


@transaction.atomic
def contract_create(*, cooperative: Organization, actor: User, data: dict[str, Any]) -> Contract:
    """A new draft contract owned by `cooperative`. `data`: `CONTRACT_INPUT_FIELDS` (the admin fee as a percent)."""
    clean = _validate(data, cooperative=cooperative, instance=None)
    coops = list(clean.pop("available_to"))
    contract = Contract(cooperative=cooperative, status=ContractStatus.DRAFT, slug=slugify(clean["number"])[:60])
    for name in CONTRACT_FIELDS:
        setattr(contract, name, clean.get(name))
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError:  # a concurrent create took the number between our check and the insert
        raise _invalid({"number": [f"Contract number {clean['number']} is already in use."]})
    contract.available_to.set(coops)
    audit_record(
        actor=actor, action="contract.created", organization=cooperative, obj=contract, after=_snapshot(contract)
    )
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, actor: User, data: dict[str, Any]) -> Contract:
    """Edit a draft or active contract. `data` (`CONTRACT_INPUT_FIELDS`) may be partial; missing keys keep their
    value."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if not contract.is_open:
        raise ApplicationError(
            "contract_closed", f"This contract is {contract.get_status_display().lower()} and can no longer be edited."
        )
    before = _snapshot(contract)
    merged = contract_input(contract)
    merged.update({k: v for k, v in data.items() if k in CONTRACT_INPUT_FIELDS})
    clean = _validate(merged, cooperative=contract.cooperative, instance=contract)
    coops = list(clean.pop("available_to"))
    changed = [name for name in CONTRACT_FIELDS if getattr(contract, name) != clean.get(name)]
    for name in changed:
        setattr(contract, name, clean.get(name))
    if "number" in changed:
        contract.slug = slugify(contract.number)[:60]
        changed.append("slug")
    if changed:
        contract.save(update_fields=changed)
    contract.available_to.set(coops)
    after = _snapshot(contract)
    diff_before = {k: v for k, v in before.items() if after.get(k) != v}
    diff_after = {k: after[k] for k in diff_before}
    if diff_before:
        audit_record(
            actor=actor,
            action="contract.updated",
            organization=contract.cooperative,
            obj=contract,
            before=diff_before,
            after=diff_after,
        )
    return contract


# --- lifecycle -----------------------------------------------------------------------------------------


def contract_publish_problems(contract: Contract) -> list[str]:
    """What a draft still lacks before it can be published (empty list: ready)."""
    missing = []
    for field, label in (
        ("solicitation_number", "the solicitation number"),
        ("solicitation_method", "the solicitation method"),
        ("solicitation_issued_on", "the solicitation issue date"),
        ("solicitation_closed_on", "the solicitation close date"),
        ("evaluation_summary", "the evaluation summary"),
        ("award_date", "the award date"),
    ):
        if not getattr(contract, field):
            missing.append(label)
    if not _supplier_is_verified(contract.supplier):
        missing.append("a verified supplier")
    has_signed = ContractDocument.objects.filter(
        contract=contract, kind=DocumentKind.SIGNED_CONTRACT, removed_at__isnull=True
    ).exists()
    if not has_signed:
        missing.append("a signed contract document")
    return missing


@transaction.atomic
def contract_transition(*, contract: Contract, to: str, actor: User | None, reason: str = "") -> Contract:
    """Move a contract through its lifecycle (the one place status changes). `actor=None` is the system."""
    contract = Contract.objects.select_for_update().select_related("cooperative", "supplier").get(pk=contract.pk)
    current = contract.status
    reason = (reason or "").strip()
    if to not in ContractStatus.values:
        raise ApplicationError(
            "invalid", f"Unknown status “{to}”.", {"to": [f"Choose one of {', '.join(ContractStatus.values)}."]}
        )
    if to not in TRANSITIONS[current]:
        raise ApplicationError(
            "invalid_transition",
            f"A {ContractStatus(current).label.lower()} contract cannot become {ContractStatus(to).label.lower()}.",
            status=409,
        )
    if (current, to) in SYSTEM_ONLY and actor is not None:
        raise ApplicationError(
            "invalid_transition",
            "Contracts expire on their own at the end of the term; they cannot be expired by hand.",
            status=409,
        )
    today = _contract_today(contract)
    if to == ContractStatus.ACTIVE:
        missing = contract_publish_problems(contract)
        if contract.term_end < today:
            missing.append(f"a term that has not ended (it ended {contract.term_end:%B %-d, %Y})")
        if missing:
            raise ApplicationError("not_ready", "Cannot publish yet. Missing: " + "; ".join(missing) + ".", status=409)
    if to == ContractStatus.TERMINATED and not reason:
        raise ApplicationError(
            "invalid",
            "Give the reason for terminating the contract.",
            {"reason": ["Give the reason for terminating the contract."]},
        )
    if to == ContractStatus.EXPIRED and contract.term_end >= today:
        raise ApplicationError("invalid_transition", "The term has not ended yet.", status=409)

    contract.status = to
    contract.save(update_fields=["status"])
    after: dict[str, Any] = {"status": to}
    if reason:
        after["reason"] = reason
    audit_record(
        actor=actor,
        action=f"contract.{TRANSITION_VERBS[to]}",
        organization=contract.cooperative,
        obj=contract,
        before={"status": current},
        after=after,
    )
    verb = TRANSITION_VERBS[to]
    body = f"Contract {contract.number} ({contract.title}) was {verb}."
    if to == ContractStatus.EXPIRED:
        ended = f"{contract.term_end:%B %-d, %Y}"
        body = f"Contract {contract.number} ({contract.title}) reached the end of its term on {ended}."
    if reason:
        body += f" Reason: {reason}"
    _notify(contract, title=f"Contract {contract.number} {verb}", body=body, exclude=actor)
    return contract


# --- expiry --------------------------------------------------------------------------------------------


def _contract_today(contract: Contract) -> dt.date:
    """Today in the owning co-op's time zone: a term ends at the end of *its* day."""
    return organization_today(contract.cooperative)


def _notice_due(days_left: int) -> int | None:
    """The tightest notice threshold reached (25 days left -> 30); None beyond 90 days or after the end."""
    if days_left < 0:
        return None
    due = [d for d in EXPIRY_NOTICE_DAYS if days_left <= d]
    return min(due) if due else None


@transaction.atomic
def contract_expiry_notice_send(*, contract: Contract) -> int | None:
    """Send the 90/60/30-day notice now due for an active contract, once per (threshold, term end).

    Returns the threshold sent, or None. The sent notice is the audit row itself, checked under the
    contract's row lock, so two sweeps running at once send it once.
    """
    contract = Contract.objects.select_for_update().select_related("cooperative", "supplier").get(pk=contract.pk)
    if contract.status != ContractStatus.ACTIVE:
        return None
    days_left = (contract.term_end - _contract_today(contract)).days
    threshold = _notice_due(days_left)
    if threshold is None:
        return None
    record = {"days": threshold, "term_end": contract.term_end.isoformat()}
    already = AuditEvent.objects.for_organization(contract.cooperative).filter(
        action=EXPIRY_NOTICE_ACTION,
        object_type="contracts.contract",
        object_id=str(contract.pk),
        after__contains=record,
    )
    if already.exists():
        return None
    audit_record(actor=None, action=EXPIRY_NOTICE_ACTION, organization=contract.cooperative, obj=contract, after=record)
    _notify(
        contract,
        title=f"Contract {contract.number} expires in {days_left} day{'s' if days_left != 1 else ''}",
        body=(
            f"Contract {contract.number} ({contract.title}) ends on {contract.term_end:%B %-d, %Y}. "
            f"Exercise a renewal option ({contract.renewal_options or 'none recorded'}) or plan a new solicitation."
        ),
    )
    return threshold


def contract_expiry_sweep() -> dict[str, int]:
    """Expire active contracts whose term has ended and send due expiry notices. Idempotent."""
    horizon = timezone.now().date() + dt.timedelta(days=max(EXPIRY_NOTICE_DAYS) + 1)
    expired = notices = 0
    candidates = (
        Contract.objects.unscoped()  # system sweep over every co-op's contracts
        .filter(status=ContractStatus.ACTIVE, term_end__lte=horizon)
        .select_related("cooperative")
        .order_by("pk")
    )
    for contract in candidates:
        if contract.term_end < _contract_today(contract):
            try:
                contract_transition(contract=contract, to=ContractStatus.EXPIRED, actor=None)
                expired += 1
            except ApplicationError as exc:  # changed meanwhile (terminated, renewed): nothing to do
                logging.getLogger(__name__).warning("expiry sweep skipped contract %s: %s", contract.pk, exc.message)
        elif contract_expiry_notice_send(contract=contract) is not None:
            notices += 1
    return {"expired": expired, "notices": notices}
