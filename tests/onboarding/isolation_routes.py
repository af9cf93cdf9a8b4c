"""Onboarding routes in the isolation matrix (tests/core/test_isolation.py).

The review queue, an application's page and actions, and the member import are for co-op staff and admins (every
co-op role, so probed as "any member", roles=None). Objects in `extra` are applications to world.coop; `other_extra`
names an application to world.other_coop through world.coop's URL (404). The public join form, status page and
confirmation are not tenant pages: they are listed in UNSCOPED_ROUTES with why they cannot leak."""

from __future__ import annotations

from django.utils import timezone

from agencies.models import ApplicationMessage, JoinApplication
from agencies.onboarding.services import status_token
from marketplace.core.roles import OrgKind
from marketplace.core.services.tokens import token_digest
from tests.isolation import Probe

COOP = OrgKind.COOPERATIVE
PROBE_NAME = "Probe Township of Isolation"


def application_row(cooperative, name: str, domain: str, status: str = "pending") -> JoinApplication:
    now = timezone.now()
    application = JoinApplication(
        cooperative=cooperative,
        legal_name=name,
        agency_type="city",
        state="FL",
        county="Orange County",
        email_domain=domain,
        contact_name="Probe Contact",
        contact_title="Clerk",
        contact_email=f"clerk@{domain}",
        contact_phone="407 555 0100",
        signer_name="Probe Signer",
        signer_title="Mayor",
        signer_email=f"mayor@{domain}",
        evidence=f"join-applications/{cooperative.pk}/probe.pdf",
        evidence_name="probe-evidence.pdf",
        evidence_sha256="0" * 64,
        evidence_pages=1,
        status=status,
        submitted_at=now,
        updated_at=now,
    )
    application.status_token_digest = token_digest(status_token(application))
    application.save()
    ApplicationMessage.objects.create(
        application=application,
        cooperative=cooperative,
        author_kind="staff",
        body="Probe question",
        attachment=f"join-applications/{cooperative.pk}/probe-message.pdf",
        attachment_name="probe-answer.pdf",
        created_at=now,
    )
    return application


def _application(world):
    if not hasattr(world, "probe_application"):
        world.probe_application = application_row(world.coop, PROBE_NAME, "isolation.fl.us")
    return {"application_id": world.probe_application.public_id}


def _other_application(world):
    if not hasattr(world, "other_application"):
        world.other_application = application_row(world.other_coop, "Aardvark Othertenant Village", "othertenant.gov")
    return {"application_id": world.other_application.public_id}


def _message(world):
    kwargs = _application(world)
    return {**kwargs, "message_id": world.probe_application.messages.get().pk}


def _other_message(world):
    kwargs = _other_application(world)
    other_message = world.other_application.messages.get()
    # another co-op's message: through its own application, and under world.coop's application
    return [{**kwargs, "message_id": other_message.pk}, {**_application(world), "message_id": other_message.pk}]


def _state(world):
    return (
        tuple(JoinApplication.objects.values_list("pk", "status", "rejection_reason").order_by("pk")),
        ApplicationMessage.objects.count(),
    )


def _page(shows, **kwargs):
    return Probe(COOP, extra=_application, other_extra=_other_application, shows=lambda w: shows, **kwargs)


def _action(data=None, **kwargs):
    return Probe(
        COOP,
        method="post",
        data=data or {},
        extra=_application,
        other_extra=_other_application,
        snapshot=_state,
        shows=None,
        **kwargs,
    )


MATRIX: dict[str, Probe] = {
    "coop-applications": Probe(COOP, extra=lambda w: (_application(w), {})[1], shows=lambda w: PROBE_NAME),
    "coop-application": _page("isolation.fl.us"),
    "coop-application-approve": _action(ok=(302,)),
    "coop-application-request-info": _action({"message": "Send your charter."}, ok=(302,)),
    "coop-application-reject": _action({"reason": "Not a public entity."}, ok=(302,)),
    # binary downloads: the tenancy gate is probed with OPTIONS (test_pages.py downloads them)
    "coop-application-evidence": Probe(
        COOP, method="options", extra=_application, other_extra=_other_application, shows=None
    ),
    "coop-application-attachment": Probe(
        COOP, method="options", extra=_message, other_extra=_other_message, shows=None
    ),
    "coop-member-import": Probe(COOP, shows=lambda w: "Download the template (CSV)"),
    "coop-member-import-template": Probe(COOP, shows=lambda w: "admin_email"),
    "api-coop-applications": Probe(
        COOP, api=True, extra=lambda w: (_application(w), {})[1], shows=lambda w: PROBE_NAME
    ),
    "api-coop-application": _page("isolation.fl.us", api=True),
    "api-coop-application-approve": _action(api=True),
    "api-coop-application-request-info": _action({"message": "Send your charter."}, api=True),
    "api-coop-application-reject": _action({"reason": "Not a public entity."}, api=True),
    # a POST without a file: refused (400) for the allowed member, after every other actor was refused
    "api-coop-member-import": Probe(COOP, api=True, method="post", ok=(400,), shows=None),
}

UNSCOPED_ROUTES = {
    "coop-join": "public: the join form of an active cooperative; shows only its name",
    "join-status": "public: the application named by a secret token (only its digest is stored)",
    "join-resend": "public: re-sends the confirmation of the application named by the secret token (rate-limited)",
    "join-confirm": "public: confirms the application named by the secret token with the e-mailed code",
    "api-application-status": "public API: the application named by a secret token",
    "api-application-confirm": "public API: confirms the application named by the secret token",
    "api-application-reply": "public API: answers on the application named by the secret token",
}
