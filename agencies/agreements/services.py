"""Membership-agreement writes: a co-op publishes a version (immutable from then on), an agency's authorized signer
accepts the current version (once per version per agency), and a worker renders the signed agreement as a PDF for
both sides. Each validates everything first, raises `ApplicationError` with every problem, writes, records an
audit row, and leaves side effects (PDF, notifications' e-mail) to the worker after commit."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, OperationalError, transaction
from django.urls import reverse
from django.utils import timezone

from agencies.agreements.models import AgreementAcceptance, AgreementPDFStatus, AgreementVersion
from agencies.agreements.selectors import SIGNING_STATUSES, current_agreement, long_date
from marketplace.core.context import client_ip
from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.models import CoopMembership, Organization, User
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.pdf import render_pdf
from marketplace.core.roles import COOP_STAFF_ROLES, Role
from marketplace.core.selectors import organization_users
from marketplace.core.services.audit import audit_record
from marketplace.core.services.notifications import notification_create
from marketplace.core.services.outbox import enqueue
from marketplace.core.services.uploads import pdf_inspect

logger = logging.getLogger(__name__)

PDF_TASK = "agencies.agreement_pdf_render"
TRANSIENT_ERRORS = (OSError, OperationalError)
LABEL_MAX, TITLE_MAX, BODY_MAX, NAME_MAX = 40, 200, 100_000, 150
AGENCY_ADMINS = frozenset({Role.AGENCY_ADMIN})

Errors = dict[str, list[str]]


def _text(value, label: str, max_length: int, errors: Errors, name: str) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        errors[name] = [f"Enter the {label}."]
    elif len(text) > max_length:
        errors[name] = [f"The {label} is at most {max_length:,} characters (this one has {len(text):,})."]
    return text


def _version_snapshot(version: AgreementVersion) -> dict:
    return {
        "label": version.label,
        "title": version.title,
        "effective_on": version.effective_on.isoformat(),
        "reaccept_by": version.reaccept_by.isoformat() if version.reaccept_by else None,
        "body_chars": len(version.body),
        "source_sha256": version.source_sha256 or None,
    }


def agreement_version_publish(
    *,
    cooperative: Organization,
    actor: User,
    label: str,
    title: str,
    body: str,
    effective_on: dt.date | None,
    reaccept_by: dt.date | None = None,
    source_file=None,
) -> AgreementVersion:
    """Publish a new version of the co-op's membership agreement. It becomes the current agreement at once; with
    `reaccept_by`, members who signed an earlier version must accept this one by that date (the co-op's calendar
    day) or their ordering stops. Published versions are never changed: a correction is a new version."""
    errors: Errors = {}
    label = _text(label, "version label", LABEL_MAX, errors, "label")
    title = _text(title, "title", TITLE_MAX, errors, "title")
    body = _text(body, "agreement text", BODY_MAX, errors, "body")
    today = organization_today(cooperative)
    if effective_on is None:
        errors["effective_on"] = ["Enter the date the agreement takes effect."]
    with transaction.atomic():
        # One publication at a time per co-op: the "previous version" and label checks below stay true.
        Organization.objects.select_for_update().filter(pk=cooperative.pk).first()
        previous = current_agreement(cooperative=cooperative)
        if (
            label
            and "label" not in errors
            and AgreementVersion.objects.filter(cooperative=cooperative, label=label).exists()
        ):
            errors["label"] = [f"Version {label} is already published. Give the new version its own label."]
        if reaccept_by is not None:
            if previous is None:
                errors["reaccept_by"] = [
                    "This is the co-op's first agreement: every member must accept it before its first order, so "
                    "there is no re-acceptance date. Leave it empty."
                ]
            elif reaccept_by <= today:
                errors["reaccept_by"] = [
                    f"The re-acceptance date must be after today ({long_date(today)}) so members have time to sign."
                ]
            elif effective_on is not None and reaccept_by < effective_on:
                errors["reaccept_by"] = ["The re-acceptance date cannot be before the agreement takes effect."]
        if errors:
            raise ApplicationError("invalid", "Nothing was published: some fields are not valid.", errors)
        version = AgreementVersion(
            cooperative=cooperative,
            label=label,
            title=title,
            body=body.replace("\r\n", "\n"),
            effective_on=effective_on,
            reaccept_by=reaccept_by,
            published_by=actor,
        )
        if source_file is not None:
            version.source_sha256, version.source_size, version.source_pages = pdf_inspect(source_file)
            version.source_name = (getattr(source_file, "name", "") or "agreement.pdf").rsplit("/", 1)[-1][:255]
            # Not transactional: a rolled-back publication leaves an unreferenced file (harmless).
            version.source_file.save(version.source_name, File(source_file), save=False)
        version.save()
        audit_record(
            actor=actor,
            action="agreement.version.published",
            organization=cooperative,
            obj=version,
            after=_version_snapshot(version),
        )
        _notify_members_of_new_version(version=version, first=previous is None)
    return version


def _notify_members_of_new_version(*, version: AgreementVersion, first: bool) -> None:
    cooperative = version.cooperative
    agencies = CoopMembership.objects.filter(cooperative=cooperative, status__in=SIGNING_STATUSES).select_related(
        "agency"
    )
    if version.reaccept_by:
        deadline = f"Accept it by {long_date(version.reaccept_by)} or ordering on its contracts will stop."
    elif first:
        deadline = "Accept it before your agency's first order on its contracts."
    else:
        deadline = "Members who signed an earlier version may keep ordering."
    for membership in agencies:
        agency = membership.agency
        for user in organization_users(organization=agency, roles=AGENCY_ADMINS):
            notification_create(
                user=user,
                organization=agency,
                kind=NotificationKind.ONBOARDING,
                title=f"{cooperative.name} published its membership agreement, version {version.label}",
                body=f"{version.title}, effective {long_date(version.effective_on)}. {deadline}",
                url=reverse("agency-agreement", args=[agency.slug]),
            )


# --- acceptance ------------------------------------------------------------------------------------------


def _already(existing: AgreementAcceptance) -> ApplicationError:
    who = existing.signer_name
    return ApplicationError(
        "already_accepted",
        f"Your agency already accepted version {existing.version.label} of this agreement "
        f"(signed by {who} on {long_date(existing.signed_on)}). It was not signed twice.",
        status=409,
    )


def agreement_accept(
    *,
    agency: Organization,
    version: AgreementVersion,
    actor: User,
    signer_name: str,
    signer_title: str,
    authorized: bool,
) -> AgreementAcceptance:
    """The agency's authorized signer accepts `version` (the co-op's current one) with a typed name and title. Once
    per version per agency: a second submission (even a concurrent one) is refused with `already_accepted` and
    changes nothing. The signed PDF is rendered by the worker."""
    errors: Errors = {}
    signer_name = _text(signer_name, "full name of the signer", NAME_MAX, errors, "signer_name")
    signer_title = _text(signer_title, "signer's title", NAME_MAX, errors, "signer_title")
    if authorized is not True:
        errors["authorized"] = [f"Confirm that you are authorized to sign for {agency.name}."]
    with transaction.atomic():
        membership = (
            CoopMembership.objects.select_for_update()
            .filter(agency=agency, cooperative_id=version.cooperative_id, status__in=SIGNING_STATUSES)
            .first()
        )
        if membership is None:
            raise ApplicationError("not_found", "No such agreement.", status=404)
        existing = (
            AgreementAcceptance.objects.for_organization(agency)
            .filter(version=version)
            .select_related("version")
            .first()
        )
        if existing is not None:
            raise _already(existing)
        current = current_agreement(cooperative=version.cooperative_id)
        if current is not None and current.pk != version.pk:
            raise ApplicationError(
                "not_current",
                f"Version {version.label} is no longer the current agreement: accept version {current.label}.",
                status=409,
            )
        if errors:
            raise ApplicationError("invalid", "The agreement was not signed: some fields are not valid.", errors)
        acceptance = AgreementAcceptance(
            version=version,
            cooperative_id=version.cooperative_id,
            agency=agency,
            signer_name=signer_name,
            signer_title=signer_title,
            signed_on=organization_today(agency),
            signed_at=timezone.now(),
            ip_address=client_ip.get(),
            signed_by=actor,
            pdf_status=AgreementPDFStatus.PENDING,
        )
        try:
            with transaction.atomic():
                acceptance.save()
        except IntegrityError:  # a concurrent submission committed first (the membership lock makes this rare)
            existing = AgreementAcceptance.objects.filter(agency=agency, version=version).select_related("version")
            raise _already(existing.get())
        audit_record(
            actor=actor,
            action="agreement.accepted",
            organization=agency,
            obj=acceptance,
            after={
                "version": version.label,
                "cooperative": version.cooperative_id,
                "signer_name": signer_name,
                "signer_title": signer_title,
                "signed_on": acceptance.signed_on.isoformat(),
                "ip_address": acceptance.ip_address,
            },
        )
        enqueue(PDF_TASK, acceptance.pk)
    return acceptance


# --- the signed PDF ------------------------------------------------------------------------------------------


def agreement_paragraphs(body: str) -> list[str]:
    """The agreement's paragraphs (separated by blank lines); the templates escape them and keep single line
    breaks, so nothing a co-op types is read as HTML."""
    return [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]


def acceptance_pdf_bytes(acceptance: AgreementAcceptance) -> bytes:
    acceptance = AgreementAcceptance.objects.select_related(
        "version", "cooperative", "agency", "agency__agency_profile", "signed_by"
    ).get(pk=acceptance.pk)
    return render_pdf(
        "agencies/agreements/pdf/signed_agreement.html",
        {
            "acceptance": acceptance,
            "version": acceptance.version,
            "paragraphs": agreement_paragraphs(acceptance.version.body),
            "generated_at": timezone.now(),
        },
        stylesheet_template="agencies/agreements/pdf/signed_agreement.css",
    )


def acceptance_pdf_filename(acceptance: AgreementAcceptance) -> str:
    return f"membership-agreement-{acceptance.agency.slug}-{acceptance.version.label}.pdf".replace("/", "-")


def agreement_pdf_render(*, acceptance_id: int) -> str | None:
    """Render and store one acceptance's signed PDF (the worker calls this), then tell both sides. Idempotent."""
    acceptance = AgreementAcceptance.objects.filter(pk=acceptance_id).first()
    if acceptance is None:
        return None
    if acceptance.pdf_status == AgreementPDFStatus.READY and acceptance.pdf:
        return AgreementPDFStatus.READY
    try:
        data = acceptance_pdf_bytes(acceptance)
        with transaction.atomic():
            acceptance = (
                AgreementAcceptance.objects.select_for_update(of=("self",))
                .select_related("version", "agency", "cooperative")
                .get(pk=acceptance_id)
            )
            if acceptance.pdf_status == AgreementPDFStatus.READY and acceptance.pdf:
                return AgreementPDFStatus.READY
            acceptance.pdf.save(acceptance_pdf_filename(acceptance), ContentFile(data), save=False)
            acceptance.pdf_status = AgreementPDFStatus.READY
            acceptance.save(update_fields=["pdf", "pdf_status"])
            audit_record(
                actor=None,
                action="agreement.pdf_ready",
                organization=acceptance.agency,
                obj=acceptance,
                after={"pdf": acceptance.pdf.name, "bytes": len(data)},
            )
            _notify_pdf_ready(acceptance)
    except Exception as exc:
        logger.exception("Agreement acceptance %s: PDF failed", acceptance_id, exc_info=exc)
        with transaction.atomic():
            AgreementAcceptance.objects.filter(pk=acceptance_id).exclude(pdf_status=AgreementPDFStatus.READY).update(
                pdf_status=AgreementPDFStatus.FAILED
            )
        if isinstance(exc, TRANSIENT_ERRORS):
            raise
        return AgreementPDFStatus.FAILED
    return AgreementPDFStatus.READY


def _notify_pdf_ready(acceptance: AgreementAcceptance) -> None:
    agency, coop, version = acceptance.agency, acceptance.cooperative, acceptance.version
    facts = (
        f"Version {version.label}, signed by {acceptance.signer_name} ({acceptance.signer_title}) on "
        f"{long_date(acceptance.signed_on)}."
    )
    for user in organization_users(organization=agency, roles=AGENCY_ADMINS):
        notification_create(
            user=user,
            organization=agency,
            kind=NotificationKind.ONBOARDING,
            title=f"Your signed membership agreement with {coop.name} is ready",
            body=facts,
            url=reverse("agency-agreement", args=[agency.slug]),
        )
    for user in organization_users(organization=coop, roles=COOP_STAFF_ROLES):
        notification_create(
            user=user,
            organization=coop,
            kind=NotificationKind.ONBOARDING,
            title=f"{agency.name} signed the membership agreement",
            body=facts,
            url=reverse("coop-agreement-version", args=[coop.slug, version.pk]),
        )
