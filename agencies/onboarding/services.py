"""Onboarding rules: the public join application and its review, and `agency_onboard`, the one way an agency is
brought into a cooperative (approval and the bulk import both call it).

An application moves through `TRANSITIONS` only (`_transition` is the one place its status changes; every move is
audited). Approval locks the application row, so two staff approving at once, or one double click, make one agency:
the second is told who approved it. Refusals validate before anything is written or stored."""

from __future__ import annotations

import hmac
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify

from agencies.models import Agency, AgencyType, ApplicationMessage, ApplicationStatus, JoinApplication, MessageAuthor
from agencies.onboarding.geography import county_lookup, county_suggestions
from contracts.services.contracts import US_STATES
from marketplace.core.context import client_ip
from marketplace.core.errors import ApplicationError
from marketplace.core.models import CoopMembership, CoopMembershipStatus, Organization, User
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind, Role
from marketplace.core.services.audit import audit_record
from marketplace.core.services.email import email_queue
from marketplace.core.services.invitations import invitation_create
from marketplace.core.services.notifications import notification_create
from marketplace.core.services.tokens import token_digest
from marketplace.core.services.uploads import pdf_inspect

Errors = dict[str, list[str]]
S = ApplicationStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.PENDING, S.REJECTED}),
    S.PENDING: frozenset({S.INFO_REQUESTED, S.APPROVED, S.REJECTED}),
    S.INFO_REQUESTED: frozenset({S.PENDING, S.APPROVED, S.REJECTED}),
    S.APPROVED: frozenset(),
    S.REJECTED: frozenset(),
}

TEXT_MAX = 5000
MAX_POPULATION = 50_000_000
# (attempts, seconds). Every submission attempt counts against the sender's IP address; each accepted application
# counts against its contact e-mail, so nobody can make us mail-bomb an address with confirmation links.
JOIN_RATE_LIMITS = {"ip": (10, 3600), "email": (3, 86400)}
DOMAIN_RE = re.compile(r"^(?=.{4,100}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$")
PHONE_RE = re.compile(r"^[0-9+().\-\s/x]{7,40}$", re.IGNORECASE)
# The main time zone of each state (an agency can change it later); the Eastern zone where not listed.
STATE_ZONES = {
    **dict.fromkeys(
        ["AL", "AR", "IL", "IA", "KS", "LA", "MN", "MS", "MO", "NE", "ND", "OK", "SD", "TX", "WI"], "America/Chicago"
    ),
    **dict.fromkeys(["AZ"], "America/Phoenix"),
    **dict.fromkeys(["CO", "ID", "MT", "NM", "UT", "WY"], "America/Denver"),
    **dict.fromkeys(["CA", "NV", "OR", "WA"], "America/Los_Angeles"),
    "AK": "America/Anchorage",
    "HI": "Pacific/Honolulu",
    "PR": "America/Puerto_Rico",
}


# --- field rules shared by the application, `agency_onboard` and the CSV import ---------------------------------


def _invalid(errors: Errors, message: str = "") -> ApplicationError:
    if not message:
        message = next(iter(errors.values()))[0] if len(errors) == 1 else "Some fields are not valid."
    return ApplicationError("invalid", message, errors)


def _text(value, label: str, limit: int, *, required: bool = True) -> tuple[str, str | None]:
    text = re.sub(r"\s+", " ", str(value if value is not None else "")).strip()
    if required and not text:
        return "", f"Enter the {label}."
    if len(text) > limit:
        return text[:limit], f"Keep the {label} under {limit} characters."
    return text, None


def clean_email(value, label: str = "e-mail address") -> tuple[str, str | None]:
    email = str(value or "").strip().lower()
    if not email:
        return "", f"Enter the {label}."
    try:
        validate_email(email)
    except ValidationError:
        return email, f"Enter a valid {label}, like name@city.gov."
    return email, None


def clean_domain(value) -> tuple[str, str | None]:
    """'@WWW.Maple-Ridge.gov ' -> 'maple-ridge.gov'."""
    domain = str(value or "").strip().lower().removeprefix("@").removeprefix("www.").rstrip(".")
    if not domain:
        return "", "Enter the official e-mail domain (the part after @, e.g. mapleridge.gov)."
    if not DOMAIN_RE.match(domain):
        return domain, "Enter a domain like mapleridge.gov (the part after @ in your staff's e-mail addresses)."
    return domain, None


def email_domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""


def domain_matches(host: str, domain: str) -> bool:
    """True when `host` is `domain` or one of its subdomains (police.mapleridge.gov in mapleridge.gov)."""
    host, domain = (host or "").lower().removeprefix("www."), (domain or "").lower()
    return bool(host and domain) and (host == domain or host.endswith("." + domain))


def clean_agency_fields(data: dict, *, name_field: str = "name") -> tuple[dict, Errors]:
    """The agency's own fields (name, type, state, county, population, website, e-mail domain), normalised, and the
    errors by field name. `name_field` is how the name is called in the caller's input ("legal_name")."""
    errors: Errors = {}
    cleaned: dict = {}

    def err(field: str, message: str | None) -> None:
        if message:
            errors.setdefault(field, []).append(message)

    cleaned["name"], message = _text(data.get(name_field), "legal name", 200)
    err(name_field, message)
    agency_type = str(data.get("agency_type") or "").strip().lower()
    by_label = {label.lower(): value for value, label in AgencyType.choices}
    agency_type = by_label.get(agency_type, agency_type.replace(" ", "_"))
    if agency_type not in AgencyType.values:
        err("agency_type", "Choose the type of entity: " + ", ".join(str(label).lower() for label in AgencyType.labels))
    cleaned["agency_type"] = agency_type
    state = str(data.get("state") or "").strip().upper()
    if state not in US_STATES:
        err("state", "Choose a U.S. state (two-letter code, e.g. FL).")
    cleaned["state"] = state
    county, message = _text(data.get("county"), "county", 100, required=False)
    cleaned["county"], cleaned["county_fips"] = county, ""
    if county and state in US_STATES:
        found = county_lookup(state=state, county=county)
        if found is None:
            hint = county_suggestions(state=state, county=county)
            err(
                "county",
                f"{US_STATES[state]} has no county named “{county}”."
                + (f" Did you mean {' or '.join(hint)}?" if hint else " Check the spelling."),
            )
        else:
            cleaned["county"], cleaned["county_fips"] = found
    elif not county and agency_type in (AgencyType.COUNTY, AgencyType.CITY, AgencyType.SCHOOL_DISTRICT):
        err("county", "Enter the county the entity is in (for a county: its own name).")
    population = data.get("population")
    cleaned["population"] = None
    if population not in (None, ""):
        text = str(population).strip().replace(",", "")
        if not text.isdigit() or int(text) > MAX_POPULATION:
            err("population", f"Enter the population as a whole number up to {MAX_POPULATION:,}, e.g. 48,200.")
        else:
            cleaned["population"] = int(text)
    website = str(data.get("website") or "").strip()
    if website and "://" not in website:
        website = "https://" + website
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
            if len(website) > 200:
                raise ValidationError("too long")
        except ValidationError:
            err("website", "Enter the website address, like https://www.mapleridge.gov.")
    cleaned["website"] = website
    cleaned["email_domain"], message = clean_domain(data.get("email_domain"))
    err("email_domain", message)
    return cleaned, errors


def domain_member(*, cooperative: Organization, domain: str) -> Organization | None:
    """The member agency of `cooperative` that uses `domain`, if any."""
    agency = (
        Agency.objects.filter(
            email_domain__iexact=domain,
            organization__coop_memberships__cooperative=cooperative,
        )
        .select_related("organization")
        .first()
    )
    return agency.organization if agency else None


def _member_refusal(*, cooperative: Organization, domain: str) -> None:
    member = domain_member(cooperative=cooperative, domain=domain)
    if member is not None:
        message = (
            f"{member.name} ({domain}) is already a member of {cooperative.name}. Ask its agency administrator to "
            "invite you instead of applying again."
        )
        raise ApplicationError("already_member", message, {"email_domain": [message]}, status=409)


def _domain_refusals(*, cooperative: Organization, domain: str, contact_email: str = "", exclude_pk=None) -> None:
    """Refuse a domain that a member already uses, or that an open application already holds."""
    _member_refusal(cooperative=cooperative, domain=domain)
    open_apps = JoinApplication.objects.for_organization(cooperative).open()
    if exclude_pk is not None:
        open_apps = open_apps.exclude(pk=exclude_pk)
    duplicate = open_apps.filter(email_domain=domain).first()
    if duplicate is None and contact_email:
        duplicate = open_apps.filter(contact_email=contact_email).first()
    if duplicate is not None:
        message = (
            f"An application from {duplicate.email_domain} ({duplicate.legal_name}) is already waiting for review by "
            f"{cooperative.name}. Use the status link e-mailed to {duplicate.contact_name} instead of applying again."
        )
        raise ApplicationError("duplicate_application", message, {"email_domain": [message]}, status=409)


# --- tokens and links ------------------------------------------------------------------------------------------


def status_token(application: JoinApplication) -> str:
    """The secret of the application's status link. Derived from SECRET_KEY and the application's id (as Django's
    password-reset tokens are), so every e-mail can carry the same link; only its digest is stored."""
    return salted_hmac("agencies.join-status", str(application.public_id), algorithm="sha256").hexdigest()


def status_url(application: JoinApplication) -> str:
    return f"{settings.SITE_URL}/join/status/{status_token(application)}/"


def confirm_url(application: JoinApplication, code: str) -> str:
    return f"{settings.SITE_URL}/join/status/{status_token(application)}/confirm/{code}/"


def application_by_token(*, token: str) -> JoinApplication | None:
    if not token or len(token) > 200:
        return None
    return (
        JoinApplication.objects.unscoped()
        .select_related("cooperative", "decided_by", "agency")
        .filter(status_token_digest=token_digest(token))
        .first()
    )


# --- rate limits -------------------------------------------------------------------------------------------------


def _limits() -> dict[str, tuple[int, int]]:
    return {**JOIN_RATE_LIMITS, **getattr(settings, "JOIN_RATE_LIMITS", {})}


def _hit(key: str, limit: tuple[int, int]) -> bool:
    """Count one attempt under `key`; True when it is over the limit."""
    attempts, seconds = limit
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count > attempts


def _rate_limited(what: str) -> ApplicationError:
    attempts, seconds = _limits()[what]
    hours = seconds // 3600
    window = f"{hours} hour{'s' if hours != 1 else ''}" if hours else f"{seconds // 60} minutes"
    who = "from your network" if what == "ip" else "for this e-mail address"
    return ApplicationError(
        "rate_limited",
        f"Too many applications {who}: at most {attempts} in {window}. Wait and try again later, or write to the "
        "cooperative's staff.",
        status=429,
    )


def join_attempt_check(*, ip: str | None) -> None:
    """Count one submission attempt from `ip` (every attempt, valid or not); 429 when over the limit."""
    if ip and _hit(f"join:ip:{ip}", _limits()["ip"]):
        raise _rate_limited("ip")


# --- the application ---------------------------------------------------------------------------------------------

APPLICANT_FIELDS = (
    "legal_name",
    "agency_type",
    "state",
    "county",
    "population",
    "website",
    "email_domain",
    "contact_name",
    "contact_title",
    "contact_email",
    "contact_phone",
    "signer_name",
    "signer_title",
    "signer_email",
)


def _snapshot(application: JoinApplication) -> dict:
    return {"status": application.status, "legal_name": application.legal_name, "domain": application.email_domain}


def _send_to_applicant(application: JoinApplication, template: str, subject: str, **extra) -> None:
    context = {"application": application, "status_url": status_url(application), **extra}
    email_queue(
        to=[application.contact_email],
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=render_to_string(f"agencies/onboarding/email/{template}.txt", context),
    )


def _notify_staff(application: JoinApplication, title: str, body: str) -> None:
    coop = application.cooperative
    users = User.objects.filter(
        memberships__organization=coop,
        memberships__role__in=COOP_STAFF_ROLES,
        memberships__is_active=True,
        is_active=True,
    ).distinct()
    url = f"/coops/{coop.slug}/applications/{application.public_id}/"
    for user in users:
        notification_create(
            user=user, title=title, body=body, url=url, organization=coop, kind=NotificationKind.ONBOARDING
        )


def _store_pdf(field, file, sha256: str) -> str:
    original = (getattr(file, "name", "") or "document.pdf").rsplit("/", 1)[-1][:255]
    field.save(f"{sha256[:16]}.pdf", File(file), save=False)
    return original


def application_submit(*, cooperative: Organization, data: dict, evidence, honeypot: str = "") -> JoinApplication:
    """A public entity applies to join `cooperative` (no sign-in). Validates every field and the evidence PDF
    before anything is written or stored; e-mails the contact a confirmation link. The application reaches staff
    once the address is confirmed (`application_confirm`)."""
    ip = client_ip.get()
    join_attempt_check(ip=ip)
    if honeypot:
        raise ApplicationError(
            "spam_suspected",
            "The application could not be accepted. If you are filling it in yourself, leave the field "
            "“Leave this field empty” empty and send it again.",
            status=400,
        )
    if cooperative.kind != OrgKind.COOPERATIVE or not cooperative.is_active:
        raise ApplicationError("not_found", "No such cooperative.", status=404)
    cleaned, errors = clean_agency_fields(data, name_field="legal_name")
    for field, label, limit in (
        ("contact_name", "contact's name", 150),
        ("contact_title", "contact's title", 150),
        ("signer_name", "signer's name", 150),
        ("signer_title", "signer's title", 150),
    ):
        cleaned[field], message = _text(data.get(field), label, limit)
        if message:
            errors.setdefault(field, []).append(message)
    for field, label in (("contact_email", "contact's e-mail address"), ("signer_email", "signer's e-mail address")):
        cleaned[field], message = clean_email(data.get(field), label)
        if message:
            errors.setdefault(field, []).append(message)
    phone = str(data.get("contact_phone") or "").strip()
    if not phone or not PHONE_RE.match(phone) or sum(c.isdigit() for c in phone) < 7:
        errors.setdefault("contact_phone", []).append("Enter the contact's phone number, like (407) 555-0100.")
    cleaned["contact_phone"] = phone
    if evidence is None:
        errors["evidence"] = ["Attach the evidence of public-entity status as a PDF."]
    if errors:
        raise _invalid(errors)
    try:
        sha256, size, pages = pdf_inspect(evidence)
    except ApplicationError as exc:
        raise ApplicationError(exc.code, exc.message, {"evidence": exc.fields.get("file", [exc.message])}) from None
    _domain_refusals(cooperative=cooperative, domain=cleaned["email_domain"], contact_email=cleaned["contact_email"])
    if _hit(f"join:email:{cleaned['contact_email']}", _limits()["email"]):
        raise _rate_limited("email")
    code = secrets.token_urlsafe(24)
    now = timezone.now()
    with transaction.atomic():
        application = JoinApplication(
            cooperative=cooperative,
            legal_name=cleaned["name"],
            agency_type=cleaned["agency_type"],
            state=cleaned["state"],
            county=cleaned["county"],
            county_fips=cleaned["county_fips"],
            population=cleaned["population"],
            website=cleaned["website"],
            email_domain=cleaned["email_domain"],
            **{f: cleaned[f] for f in APPLICANT_FIELDS[7:]},
            evidence_sha256=sha256,
            evidence_size=size,
            evidence_pages=pages,
            confirm_code_digest=token_digest(code),
            submitted_at=now,
            updated_at=now,
            ip_address=ip,
        )
        application.status_token_digest = token_digest(status_token(application))
        # The storage write is not transactional: a rolled-back insert leaves an unreferenced file (harmless).
        application.evidence_name = _store_pdf(application.evidence, evidence, sha256)
        application.save()
        audit_record(
            actor=None,
            actor_label=application.contact_email,
            action="join_application.submitted",
            organization=cooperative,
            obj=application,
            after=_snapshot(application),
        )
        _send_to_applicant(
            application,
            "confirm",
            f"Confirm your application to join {cooperative.name}",
            confirm_url=confirm_url(application, code),
        )
    return application


def application_confirmation_resend(*, application: JoinApplication) -> JoinApplication:
    """A new confirmation link (the previous one stops working), counted against the contact e-mail's limit."""
    with transaction.atomic():
        application = _locked(application)
        if application.status != S.SUBMITTED:
            raise ApplicationError("already_confirmed", "The e-mail address is already confirmed.", status=409)
        if _hit(f"join:email:{application.contact_email}", _limits()["email"]):
            raise _rate_limited("email")
        code = secrets.token_urlsafe(24)
        application.confirm_code_digest = token_digest(code)
        application.save(update_fields=["confirm_code_digest"])
        audit_record(
            actor=None,
            actor_label=application.contact_email,
            action="join_application.confirmation_resent",
            organization=application.cooperative,
            obj=application,
        )
        _send_to_applicant(
            application,
            "confirm",
            f"Confirm your application to join {application.cooperative.name}",
            confirm_url=confirm_url(application, code),
        )
    return application


def _transition(
    application: JoinApplication, *, to: str, actor: User | None, after: dict | None = None, label: str = ""
) -> None:
    """Move a locked application to `to` (refusing moves outside TRANSITIONS) and audit it."""
    current = application.status
    if to not in TRANSITIONS[current]:
        raise ApplicationError(
            "invalid_transition",
            f"An application that is “{S(current).label.lower()}” cannot become “{S(to).label.lower()}”.",
            status=409,
        )
    now = timezone.now()
    application.status = to
    application.updated_at = now
    fields = ["status", "updated_at"]
    if to in (S.APPROVED, S.REJECTED):
        application.decided_at = now
        application.decided_by = actor
        fields += ["decided_at", "decided_by"]
    application.save(update_fields=[*fields, *(after or {}).keys() & {"rejection_reason", "agency"}])
    audit_record(
        actor=actor,
        actor_label=label or None,
        action=f"join_application.{to}",
        organization=application.cooperative,
        obj=application,
        before={"status": current},
        after={"status": to, **{k: v for k, v in (after or {}).items() if k != "agency"}},
    )


def _locked(application: JoinApplication) -> JoinApplication:
    """The application row, locked for this transaction. Who decided it is read after the lock (a joined row would
    be the one seen before waiting for a concurrent decision)."""
    return JoinApplication.objects.select_for_update(of=("self",)).select_related("cooperative").get(pk=application.pk)


def application_confirm(*, token: str, code: str) -> JoinApplication:
    """The applicant confirms the contact e-mail address (the link's code): the application goes to staff."""
    found = application_by_token(token=token)
    if found is None:
        raise ApplicationError("not_found", "This link is not valid.", status=404)
    with transaction.atomic():
        application = _locked(found)
        if application.status != S.SUBMITTED:
            return application  # already confirmed: the link lands on the status page
        if not code or not hmac.compare_digest(application.confirm_code_digest, token_digest(code)):
            raise ApplicationError(
                "invalid_code", "This confirmation link is not valid. Use the latest link we e-mailed you.", status=400
            )
        _domain_refusals(
            cooperative=application.cooperative,
            domain=application.email_domain,
            contact_email=application.contact_email,
            exclude_pk=application.pk,
        )
        application.confirmed_at = timezone.now()
        application.confirm_code_digest = ""
        application.save(update_fields=["confirmed_at", "confirm_code_digest"])
        try:
            with transaction.atomic():
                _transition(application, to=S.PENDING, actor=None, label=application.contact_email)
        except IntegrityError:  # another application of the domain was confirmed at the same moment
            raise ApplicationError(
                "duplicate_application",
                f"An application from {application.email_domain} is already waiting for review.",
                status=409,
            ) from None
        _notify_staff(
            application,
            f"New membership application: {application.legal_name}",
            f"{application.legal_name} ({application.get_agency_type_display()}, {application.state}) applied to join "
            f"{application.cooperative.name}.",
        )
    return application


def application_request_info(*, application: JoinApplication, actor: User, message: str) -> JoinApplication:
    """Staff ask the applicant for more information; the message is e-mailed with the status link."""
    body, problem = _text(message, "message to the applicant", TEXT_MAX)
    if problem:
        raise _invalid({"message": [problem if body else "Write what the applicant should send or explain."]})
    with transaction.atomic():
        application = _locked(application)
        _transition(application, to=S.INFO_REQUESTED, actor=actor)
        ApplicationMessage.objects.create(
            application=application,
            cooperative=application.cooperative,
            author_kind=MessageAuthor.STAFF,
            author=actor,
            body=str(message).strip()[:TEXT_MAX],
            created_at=timezone.now(),
        )
        _send_to_applicant(
            application,
            "info_requested",
            f"{application.cooperative.name} needs more information about your application",
            message=str(message).strip(),
        )
    return application


def application_reply(*, application: JoinApplication, message: str, attachment=None) -> ApplicationMessage:
    """The applicant answers a request for more information from the status page (text and an optional PDF)."""
    body = str(message or "").strip()
    if not body:
        raise _invalid({"message": ["Write your answer to the cooperative's question."]})
    if len(body) > TEXT_MAX:
        raise _invalid({"message": [f"Keep the answer under {TEXT_MAX:,} characters."]})
    sha256 = size = None
    if attachment is not None:
        try:
            sha256, size, _pages = pdf_inspect(attachment)
        except ApplicationError as exc:
            raise ApplicationError(exc.code, exc.message, {"attachment": exc.fields.get("file", [exc.message])})
    with transaction.atomic():
        application = _locked(application)
        if application.status != S.INFO_REQUESTED:
            raise ApplicationError(
                "not_waiting",
                "The cooperative is not waiting for an answer on this application.",
                status=409,
            )
        reply = ApplicationMessage(
            application=application,
            cooperative=application.cooperative,
            author_kind=MessageAuthor.APPLICANT,
            body=body,
            created_at=timezone.now(),
        )
        if attachment is not None:
            reply.attachment_sha256, reply.attachment_size = sha256, size
            reply.attachment_name = _store_pdf(reply.attachment, attachment, sha256)
        reply.save()
        _transition(application, to=S.PENDING, actor=None, label=application.contact_email)
        _notify_staff(
            application,
            f"{application.legal_name} answered your question",
            f"{application.contact_name} answered on the application of {application.legal_name}.",
        )
    return reply


def application_reject(*, application: JoinApplication, actor: User, reason: str) -> JoinApplication:
    reason_text, problem = _text(reason, "reason", TEXT_MAX)
    if problem:
        raise _invalid({"reason": [problem if reason_text else "Give the reason; the applicant receives it."]})
    with transaction.atomic():
        application = _locked(application)
        _decided_refusal(application)
        application.rejection_reason = str(reason).strip()[:TEXT_MAX]
        _transition(application, to=S.REJECTED, actor=actor, after={"rejection_reason": application.rejection_reason})
        _send_to_applicant(
            application,
            "rejected",
            f"Your application to join {application.cooperative.name}",
            reason=application.rejection_reason,
        )
    return application


def _decided_refusal(application: JoinApplication) -> None:
    if application.status in (S.APPROVED, S.REJECTED):
        by = application.decided_by
        who = (by.full_name or by.email) if by else ""
        at = application.decided_at
        when = timezone.localtime(at).strftime("%b %-d, %Y at %-I:%M %p") if at else ""
        verb = "approved" if application.status == S.APPROVED else "rejected"
        raise ApplicationError(
            f"already_{verb}",
            f"This application was already {verb}"
            + (f" by {who}" if who else "")
            + (f" on {when}" if when else "")
            + ". Nothing was changed.",
            status=409,
        )


def application_approve(*, application: JoinApplication, actor: User) -> Organization:
    """Approve: the agency organization, its profile, its active co-op membership and an agency-admin invitation
    for the primary contact, in one transaction and exactly once (the application row is locked; whoever comes
    second is told who approved it)."""
    with transaction.atomic():
        application = _locked(application)
        _decided_refusal(application)
        if application.status not in (S.PENDING, S.INFO_REQUESTED):
            raise ApplicationError(
                "invalid_transition", "The applicant has not confirmed the e-mail address yet.", status=409
            )
        agency = agency_onboard(
            cooperative=application.cooperative,
            name=application.legal_name,
            agency_type=application.agency_type,
            state=application.state,
            county=application.county,
            population=application.population,
            website=application.website,
            email_domain=application.email_domain,
            admin_email=application.contact_email,
            actor=actor,
        )
        CoopMembership.objects.filter(cooperative=application.cooperative, agency=agency).update(
            applied_on=timezone.localdate(application.submitted_at)
        )
        application.agency = agency
        _transition(application, to=S.APPROVED, actor=actor, after={"agency": agency, "agency_slug": agency.slug})
        _send_to_applicant(application, "approved", f"Welcome to {application.cooperative.name}", agency=agency)
    return agency


# --- bringing an agency in ---------------------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70].strip("-") or "agency"
    taken = set(Organization.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _unique_code(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z0-9]+", name) if w.lower() not in {"of", "the", "and", "for"}]
    base = ("".join(w[0] for w in words[:5]) if len(words) > 1 else (words[0][:4] if words else "AG")).upper()
    taken = set(Organization.objects.filter(kind=OrgKind.AGENCY, code__startswith=base).values_list("code", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"[:12]


def agency_onboard(
    *,
    cooperative: Organization,
    name: str,
    agency_type: str,
    state: str,
    county: str,
    population: int | None,
    website: str,
    email_domain: str,
    admin_email: str,
    actor: User | None,
) -> Organization:
    """Bring an agency into `cooperative`: the Organization (unique slug, a short code for PO numbers), its Agency
    profile, an active CoopMembership approved today, and an agency-admin invitation for `admin_email` (e-mailed by
    the worker after commit). Refuses a domain a member of the cooperative (or any agency) already uses."""
    if cooperative.kind != OrgKind.COOPERATIVE:
        raise ApplicationError("invalid", "Agencies join a cooperative.")
    cleaned, errors = clean_agency_fields(
        {
            "name": name,
            "agency_type": agency_type,
            "state": state,
            "county": county,
            "population": population,
            "website": website,
            "email_domain": email_domain,
        }
    )
    admin_email, problem = clean_email(admin_email, "administrator's e-mail address")
    if problem:
        errors["admin_email"] = [problem]
    if errors:
        raise _invalid(errors)
    domain = cleaned["email_domain"]
    with transaction.atomic():
        _member_refusal(cooperative=cooperative, domain=domain)
        elsewhere = Agency.objects.filter(email_domain__iexact=domain).select_related("organization").first()
        if elsewhere is not None:
            message = (
                f"{elsewhere.organization.name} already uses {domain} on the marketplace. Add it to "
                f"{cooperative.name} from its existing account instead of creating a second agency."
            )
            raise ApplicationError("domain_taken", message, {"email_domain": [message]}, status=409)
        today = timezone.localdate()
        for attempt in range(5):
            try:
                with transaction.atomic():
                    agency = Organization.objects.create(
                        kind=OrgKind.AGENCY,
                        name=cleaned["name"],
                        slug=_unique_slug(cleaned["name"])
                        if attempt == 0
                        else f"{_unique_slug(cleaned['name'])}-{secrets.token_hex(2)}",
                        code=_unique_code(cleaned["name"]),
                        time_zone=STATE_ZONES.get(cleaned["state"], "America/New_York"),
                    )
                break
            except IntegrityError:  # someone took the slug between our look and our insert
                if attempt == 4:
                    raise
        Agency.objects.create(
            organization=agency,
            agency_type=cleaned["agency_type"],
            state=cleaned["state"],
            county=cleaned["county"],
            county_fips=cleaned["county_fips"],
            population=cleaned["population"],
            website=cleaned["website"],
            email_domain=domain,
        )
        CoopMembership.objects.create(
            cooperative=cooperative,
            agency=agency,
            status=CoopMembershipStatus.ACTIVE,
            applied_on=today,
            approved_on=today,
        )
        invitation_create(
            organization=agency,
            email=admin_email,
            roles=[Role.AGENCY_ADMIN],
            actor=actor,
            message=f"{cooperative.name} welcomed {agency.name} as a member. As its administrator you invite your "
            "colleagues and set up ordering.",
        )
        snapshot = {
            "name": agency.name,
            "slug": agency.slug,
            "code": agency.code,
            "agency_type": cleaned["agency_type"],
            "state": cleaned["state"],
            "email_domain": domain,
            "admin_email": admin_email,
        }
        audit_record(actor=actor, action="agency.onboarded", organization=cooperative, obj=agency, after=snapshot)
        audit_record(actor=actor, action="agency.created", organization=agency, obj=agency, after=snapshot)
    return agency
