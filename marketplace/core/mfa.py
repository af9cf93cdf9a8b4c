"""Organizations' MFA policy, enforced at sign-in with enrolment on first use.

An organization's admin chooses the roles that must use two-factor sign-in (`Organization.mfa_required_roles`).
A signed-in user holding an active membership with such a role in any organization, and without an authenticator,
is sent to allauth's authenticator-app activation page before any other page, with a message saying why.

Left alone: allauth's own pages (sign-in, sign-out, re-authentication and the MFA pages themselves, all under
`/accounts/`), static files, the health check and the invitation pages. Under `/api/`, a request signed in by the
browser session gets a 403 with code `mfa_required`; a request authenticated with an API token is not interactive and
is not stopped here (DRF authenticates it after this middleware: `request.user` is anonymous at this point). Tokens
are created on the API tokens page, which itself requires enrolment, so a member bound by the policy cannot get a new
token without having enrolled."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .models import Membership, User

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/invitations/", "/favicon")
MESSAGE = (
    "Your role requires two-factor sign-in{why}. Set up an authenticator app to continue: it takes a minute, and you "
    "will be asked for a code each time you sign in."
)


def mfa_required_message(user: User) -> str:
    """Why the user is sent to enrol: each organization and the roles there its policy covers."""
    from .roles import Role

    per_org: dict[str, list[str]] = {}
    for name, role in mfa_required_roles_held(user):
        per_org.setdefault(name, []).append(Role(role).label if role in Role.values else role)
    why = "; ".join(f"{name}: {', '.join(labels)}" for name, labels in per_org.items())
    return MESSAGE.format(why=f" ({why})" if why else "")


def mfa_required_roles_held(user: User) -> list[tuple[str, str]]:
    """(organization name, role) pairs of the user's active memberships whose organization requires MFA for it."""
    rows = (
        Membership.objects.active()
        .filter(user=user)
        .values_list("organization__name", "role", "organization__mfa_required_roles")
        .order_by("organization__name", "role")
    )
    return [(name, role) for name, role, required in rows if role in (required or [])]


def mfa_enrolment_needed(user: User) -> bool:
    """One query: an active membership with a role its organization requires MFA for, and no TOTP authenticator."""
    if not getattr(user, "is_authenticated", False):
        return False
    no_authenticator = ~Exists(Authenticator.objects.filter(user=OuterRef("user"), type=Authenticator.Type.TOTP))
    rows = (
        Membership.objects.active()
        .filter(user=user)
        .filter(no_authenticator)
        .values_list("role", "organization__mfa_required_roles")
    )
    return any(role in (required or []) for role, required in rows)


class MfaEnrolmentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(settings, "MFA_ENFORCED", True) and self._applies(request) and mfa_enrolment_needed(request.user):
            if request.path_info.startswith("/api/"):
                message = mfa_required_message(request.user)
                body = {"error": {"code": "mfa_required", "message": message, "fields": {}}}
                return JsonResponse(body, status=403)
            target = reverse("mfa_activate_totp")
            htmx = getattr(request, "htmx", None)
            if htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            if request.method == "GET":
                messages.warning(request, mfa_required_message(request.user))
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _applies(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        return not request.path_info.startswith(EXEMPT_PREFIXES)
