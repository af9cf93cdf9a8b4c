"""What the audit log shows: a human name for each event's object, a link to its page when the viewer may open it,
and the before/after JSON as a readable list of changed fields.

The kernel imports no app, so it learns about a model only through the model itself, looked up by the label the
audit row stored (`object_type`, e.g. `orders.purchaseorder`) in Django's model registry, the way the content-types
framework does. A model may opt into any of these hooks:

- `audit_label(self) -> str`: its name in the log ("Purchase order MRC-2027-00001"); stored on new rows by
  `audit_record` and used for old rows too;
- `audit_url(self, organization) -> str | None`: its page for a member of `organization` (None: no page there);
- `audit_visible(cls, organization) -> QuerySet` (classmethod): the rows `organization` may see, when that is more
  than the manager's `for_organization(organization)` (a co-op sees price changes on its own contracts);
- `audit_related` (tuple): `select_related` paths its label or URL reads, so a page costs one query per type;
- `audit_money_fields` (set): JSON keys that hold US dollars, beyond the model's two-decimal money fields.

**Tenancy.** An organization's log fetches objects only through that organization's scoped queryset, so another
tenant's object is never fetched, named from live data or linked: its row keeps the name written at the time. The
operators' all-organizations log links to the Django admin instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst

from .formatting import long_date, money
from .models import AuditEvent, Organization
from .roles import Role
from .spreadsheets import neutralise

# Keys with a name of their own; then words written in capitals (or their own way) wherever they appear.
KEY_LABELS = {"bytes": "Size", "size_bytes": "Size", "sha256": "SHA-256 digest", "ip_address": "IP address"}
WORDS = {
    "ach": "ACH",
    "api": "API",
    "ein": "EIN",
    "id": "ID",
    "ip": "IP",
    "mfa": "MFA",
    "mpn": "MPN",
    "pdf": "PDF",
    "po": "PO",
    "sha256": "SHA-256",
    "sku": "SKU",
    "unspsc": "UNSPSC",
    "url": "URL",
    "w9": "W-9",
}
# Keys whose value is a size in bytes.
BYTE_KEYS = {"bytes", "size_bytes"}
# A JSON key holding dollars (`amount`, `total`, `unit_price`, `balance_due`, `min_amount` …), not a rate.
MONEY_KEY = re.compile(r"(^|_)(amount|price|total|subtotal|balance|balance_due|cost|tax|savings|refund_amount)$")
NOT_MONEY = re.compile(r"rate|percent|miles|latitude|longitude|quantity|count")
# How actions read: the last dotted part is what happened.
ACTION_WORDS = {
    "auth.login": "Signed in",
    "auth.login_failed": "Sign-in failed",
    "auth.logout": "Signed out",
}
DEFAULT_STR = re.compile(r"^\w+ object \((.+)\)$")


def humanize(key: str) -> str:
    """`order_desk_email` → "Order desk email", `ein` → "EIN", `size_bytes` → "Size"."""
    if str(key) in KEY_LABELS:
        return KEY_LABELS[str(key)]
    words = [WORDS.get(word.lower(), word) for word in re.split(r"[_\s]+", str(key).strip()) if word]
    return capfirst(" ".join(words)) if words else ""


def action_label(action: str) -> str:
    """`purchase_order.pending_approval` → "Purchase order: pending approval"; `auth.login` → "Signed in"."""
    if action in ACTION_WORDS:
        return ACTION_WORDS[action]
    subject, _, verb = action.rpartition(".")
    if not subject:
        return humanize(verb)
    parts = subject.split(".")
    if len(parts) > 1 and parts[0] in ("agency", "supplier", "coop", "contracts", "orders"):
        parts = parts[1:]  # "agency.fund_code.created": the organization is in its own column
    subject_words = humanize(" ".join(parts).replace("_", " "))
    verb_words = humanize(verb)
    if verb_words[:2].istitle() or len(verb_words) == 1:  # "Created" → "created", but "PDF ready" stays
        verb_words = verb_words[:1].lower() + verb_words[1:]
    return f"{subject_words}: {verb_words}" if verb_words else subject_words


def model_for(object_type: str) -> type[models.Model] | None:
    """The model a stored `app_label.model_name` names, or None (a model removed since, or an invalid label)."""
    if not object_type or "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = model_for(object_type)
    if model is not None:
        return capfirst(model._meta.verbose_name)
    return humanize(object_type.rpartition(".")[2]) if object_type else ""


# --- values ------------------------------------------------------------------------------------------------------


def _is_money(key: str, model_field: models.Field | None, money_keys: set[str]) -> bool:
    if key in money_keys:
        return True
    if NOT_MONEY.search(key):
        return False
    if isinstance(model_field, models.DecimalField):
        return model_field.decimal_places == 2
    return bool(MONEY_KEY.search(key))


def _datetime_text(value: dt.datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{long_date(local)}, {hour}:{local:%M} {'AM' if local.hour < 12 else 'PM'} {local.tzname()}"


def format_value(value: Any, *, key: str = "", model_field: models.Field | None = None, money_keys=()) -> list[str]:
    """A stored JSON value as the lines a person reads: money as `$1,234.50`, dates "Dec 1, 2026", times in the
    current (the organization's) time zone, booleans Yes/No, choices by their label, lists one item a line. Masked
    values (`**-***1234`) are strings and are shown exactly as stored."""
    money_keys = set(money_keys)
    if value is None or value == "":
        return ["—"]
    if isinstance(value, bool):
        return ["Yes" if value else "No"]
    if isinstance(value, dict):
        lines = []
        for sub_key, sub_value in value.items():
            text = "; ".join(format_value(sub_value, key=str(sub_key), money_keys=money_keys))
            lines.append(f"{humanize(sub_key)}: {text}")
        return lines or ["—"]
    if isinstance(value, list):
        if not value:
            return ["none"]
        if all(not isinstance(item, (dict, list)) for item in value):
            return [", ".join("; ".join(format_value(item, key=key, money_keys=money_keys)) for item in value)]
        lines = []
        for item in value:
            if isinstance(item, dict):
                parts = (f"{humanize(k)} {'; '.join(format_value(v, key=str(k)))}" for k, v in item.items())
                lines.append(", ".join(parts))
            else:
                lines.extend(format_value(item, key=key, money_keys=money_keys))
        return lines
    choices = dict(model_field.flatchoices) if model_field is not None and model_field.choices else {}
    if "role" in key or key == "granted":  # membership roles by their names ("Supplier admin", not supplier_admin)
        choices = {**dict(Role.choices), **choices}
    if choices and value in choices:
        return [str(choices[value])]
    if key in BYTE_KEYS and isinstance(value, int):
        return [filesizeformat(value).replace("\xa0", " ")]
    if isinstance(value, (int, float, Decimal)) or (isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value)):
        if _is_money(key, model_field, money_keys):
            try:
                return [money(Decimal(str(value)))]
            except InvalidOperation:
                return [str(value)]
        return [str(value)]
    if isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and (day := parse_date(value)):
            return [long_date(day)]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*", value):
            try:
                moment = parse_datetime(value)
            except ValueError:
                moment = None
            if moment is not None:
                return [_datetime_text(moment)]
        return value.splitlines() or [value]
    return [str(value)]


# --- changes -----------------------------------------------------------------------------------------------------

MISSING = object()


@dataclass
class Change:
    """One field of an event: `old`/`new` are lines of text, or None when the side does not have the field."""

    label: str
    old: list[str] | None
    new: list[str] | None


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _label(model_field: models.Field | None, key: str) -> str:
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    if model_field is not None and getattr(model_field, "verbose_name", None):
        return humanize(str(model_field.verbose_name))
    return humanize(key)


def event_changes(event: AuditEvent) -> tuple[str, list[Change]]:
    """(`kind`, changes). `changed`: both sides, only the fields that differ; `recorded`: only after (a creation or
    a fact); `removed`: only before. Field names are the model's verbose names where the key is a field."""
    model = model_for(event.object_type)
    money_keys = set(getattr(model, "audit_money_fields", ()) or ())
    before, after = event.before, event.after

    def fmt(key: str, value: Any) -> list[str]:
        return format_value(value, key=key, model_field=_field(model, key), money_keys=money_keys)

    def row(key: str, old: Any, new: Any) -> Change:
        return Change(
            label=_label(_field(model, key), key),
            old=None if old is MISSING else fmt(key, old),
            new=None if new is MISSING else fmt(key, new),
        )

    if not isinstance(before, dict) and before is not None:
        before = {"value": before}
    if not isinstance(after, dict) and after is not None:
        after = {"value": after}
    if before and after is not None:
        keys = list(after) + [k for k in before if k not in after]
        pairs = [(k, before.get(k, MISSING), after.get(k, MISSING)) for k in keys]
        return "changed", [row(k, old, new) for k, old, new in pairs if old != new]
    if after:
        return "recorded", [row(k, MISSING, v) for k, v in after.items()]
    if before:
        return "removed", [row(k, v, MISSING) for k, v in before.items()]
    return "recorded", []


# --- names and links ---------------------------------------------------------------------------------------------


@dataclass
class AuditEntry:
    """One row of the log as the page shows it."""

    event: AuditEvent
    action_label: str
    object_type_label: str
    label: str
    url: str | None
    kind: str
    changes: list[Change] = field(default_factory=list)

    @property
    def label_names_type(self) -> bool:
        """Whether the label already says what it is ("Invoice BCS-INV-10481"), so the type is not repeated."""
        return self.label.lower().startswith(self.object_type_label.lower())


def _visible(model: type[models.Model], organization: Organization | None):
    """The rows of `model` the viewer may see: the organization's scoped queryset, or every row for operators.
    None when the model has no tenant scope (nothing is fetched for an organization's log then)."""
    if organization is None:
        manager = model._default_manager
        return manager.unscoped() if hasattr(manager, "unscoped") else manager.all()
    hook = getattr(model, "audit_visible", None)
    if hook is not None:
        return hook(organization)
    manager = model._default_manager
    if hasattr(manager, "for_organization"):
        return manager.for_organization(organization)
    return None


def _admin_url(model: type[models.Model], pk: Any) -> str | None:
    if not admin.site.is_registered(model):
        return None
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
    except NoReverseMatch:
        return None


def stored_label(event: AuditEvent) -> str:
    """The name written with the row, or "Price change #2006" where only Django's default text was stored."""
    text = event.object_repr or ""
    default = DEFAULT_STR.match(text)
    if default or (not text and event.object_id):
        return f"{object_type_label(event.object_type)} #{default.group(1) if default else event.object_id}"
    return text


def audit_entries(events: Iterable[AuditEvent], *, organization: Organization | None) -> list[AuditEntry]:
    """The page's events as `AuditEntry`s. One query per object type on the page (not per event), whatever the
    page size. `organization`: the tenant whose log this is (None: the operators' log of every organization)."""
    events = list(events)
    ids_by_type: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.object_type and event.object_id:
            ids_by_type[event.object_type].add(event.object_id)
    objects: dict[tuple[str, str], models.Model] = {}
    for object_type, ids in ids_by_type.items():
        model = model_for(object_type)
        if model is None:
            continue
        queryset = _visible(model, organization)
        if queryset is None:
            continue
        pk_field = model._meta.pk
        try:
            pks = [pk_field.to_python(pk) for pk in ids]
        except ValidationError:  # a stored id that is not this model's key type: nothing to fetch
            pks = []
        related = getattr(model, "audit_related", ())
        if related:
            queryset = queryset.select_related(*related)
        for obj in queryset.filter(pk__in=pks):
            objects[(object_type, str(obj.pk))] = obj

    entries = []
    for event in events:
        obj = objects.get((event.object_type, event.object_id))
        label, url = stored_label(event), None
        if obj is not None:
            if hasattr(obj, "audit_label"):
                label = obj.audit_label()
            if organization is None:
                url = _admin_url(type(obj), obj.pk)
            elif hasattr(obj, "audit_url"):
                url = obj.audit_url(organization)
        kind, changes = event_changes(event)
        entries.append(
            AuditEntry(
                event=event,
                action_label=action_label(event.action),
                object_type_label=object_type_label(event.object_type),
                label=label,
                url=url,
                kind=kind,
                changes=changes,
            )
        )
    return entries


# --- CSV for auditors --------------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "When",
    "Person",
    "Organization",
    "Action",
    "Action code",
    "Object type",
    "Object",
    "Object ID",
    "Changes",
    "IP address",
)
EXPORT_MAX = 10_000  # rows per file; a larger export is cut here (the file's last row says so)
EXPORT_BATCH = 500  # events named and linked together (one query per object type per batch)


def _changes_text(entry: AuditEntry) -> str:
    parts = []
    for change in entry.changes:
        old = " / ".join(change.old) if change.old is not None else None
        new = " / ".join(change.new) if change.new is not None else None
        if old is not None and new is not None:
            parts.append(f"{change.label}: {old} → {new}")
        else:
            parts.append(f"{change.label}: {new if new is not None else old}")
    prefix = "Before the change: " if entry.kind == "removed" and parts else ""
    return prefix + "; ".join(parts)


def audit_csv_rows(events, *, organization: Organization | None):
    """The header, then one row per event (newest first, at most EXPORT_MAX), every cell spreadsheet-safe. Times are
    ISO 8601 in the current (the organization's) time zone, with the offset."""
    yield list(CSV_COLUMNS)
    rows = list(events[: EXPORT_MAX + 1])
    for start in range(0, min(len(rows), EXPORT_MAX), EXPORT_BATCH):
        for entry in audit_entries(rows[start : min(start + EXPORT_BATCH, EXPORT_MAX)], organization=organization):
            event = entry.event
            yield [
                neutralise(value)
                for value in (
                    timezone.localtime(event.created_at).isoformat(timespec="seconds"),
                    event.actor_label,
                    event.organization.name if event.organization else "",
                    entry.action_label,
                    event.action,
                    entry.object_type_label,
                    entry.label,
                    event.object_id,
                    _changes_text(entry),
                    event.ip_address or "",
                )
            ]
    if len(rows) > EXPORT_MAX:
        yield [neutralise(f"(cut at {EXPORT_MAX:,} events: narrow the filters)")]
