"""Team pages: `/<agencies|suppliers|coops>/<org>/team/…` (the organization's admins; co-op staff may look), and the
public invitation page `/invitations/<token>/` that an invited person accepts from."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View

from ..errors import ApplicationError
from ..forms import INVITATION_SESSION_KEY, InviteForm, MemberRolesForm, MfaPolicyForm
from ..roles import ADMIN_ROLES, ROLES_BY_KIND, URL_PREFIX, OrgKind, Role
from ..selectors import invitation_get, invitation_list, team_member_get, team_member_list
from ..services import invitations as invitation_services
from ..services import team as team_services
from ..tenancy import OrganizationViewMixin

ADMIN_ROLE = {
    OrgKind.AGENCY: Role.AGENCY_ADMIN,
    OrgKind.SUPPLIER: Role.SUPPLIER_ADMIN,
    OrgKind.COOPERATIVE: Role.COOP_ADMIN,
}


def team_url(organization) -> str:
    return reverse(f"{URL_PREFIX[organization.kind]}-team", kwargs={"org": organization.slug})


class TeamMixin(OrganizationViewMixin):
    """The organization's admins; `viewers` (set on the team page of a co-op: its staff) may also read."""

    def dispatch(self, request, *args, **kwargs):
        self.required_roles = frozenset({ADMIN_ROLE[self.organization_kind]})
        if request.method in ("GET", "HEAD"):
            self.required_roles = self.required_roles | self.viewers
        return super().dispatch(request, *args, **kwargs)

    viewers: frozenset[str] = frozenset()

    @property
    def is_admin(self) -> bool:
        return bool(self.access.roles & ADMIN_ROLES)

    def team_context(self, **overrides) -> dict:
        org = self.organization
        policy = [r for r in org.mfa_required_roles if r in ROLES_BY_KIND[org.kind]]
        context = {
            "members": team_member_list(organization=org),
            "invitations": invitation_list(organization=org),
            "invite_form": InviteForm(kind=org.kind, auto_id="invite_%s"),
            "policy_form": MfaPolicyForm(kind=org.kind, initial={"roles": policy}, auto_id="policy_%s"),
            "policy_roles": policy,
            "is_admin": self.is_admin,
            "team_url": team_url(org),
            "prefix": URL_PREFIX[org.kind],
        }
        context.update(overrides)
        return context

    def back(self):
        return redirect(team_url(self.organization))


class TeamView(TeamMixin, View):
    def get(self, request, org):
        return self.render_page("core/team/team.html", self.team_context())


class TeamInviteView(TeamMixin, View):
    http_method_names = ["post"]

    def post(self, request, org):
        form = InviteForm(request.POST, kind=self.organization.kind, auto_id="invite_%s")
        if form.is_valid():
            try:
                invitation, _token = invitation_services.invitation_create(
                    organization=self.organization,
                    email=form.cleaned_data["email"],
                    roles=form.cleaned_data["roles"],
                    message=form.cleaned_data["message"],
                    actor=request.user,
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"Invitation sent to {invitation.email}.")
                return self.back()
        return self.render_page("core/team/team.html", self.team_context(invite_form=form), status=400)


class InvitationActionView(TeamMixin, View):
    http_method_names = ["post"]
    action: str = "resend"

    def post(self, request, org, invitation_id: int):
        invitation = invitation_get(organization=self.organization, invitation_id=invitation_id)
        try:
            if self.action == "resend":
                invitation_services.invitation_resend(invitation=invitation, actor=request.user)
                messages.success(request, f"Invitation sent again to {invitation.email}, with a new link.")
            else:
                invitation_services.invitation_revoke(invitation=invitation, actor=request.user)
                messages.success(request, f"Invitation for {invitation.email} withdrawn.")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return self.back()


class MemberEditView(TeamMixin, View):
    template_name = "core/team/member.html"

    def _render(self, member, form, status=200):
        return self.render_page(
            self.template_name, {"member": member, "form": form, "team_url": team_url(self.organization)}, status=status
        )

    def get(self, request, org, user_id: int):
        member = team_member_get(organization=self.organization, user_id=user_id)
        return self._render(member, MemberRolesForm(kind=self.organization.kind, initial={"roles": member.roles}))

    def post(self, request, org, user_id: int):
        member = team_member_get(organization=self.organization, user_id=user_id)
        form = MemberRolesForm(request.POST, kind=self.organization.kind)
        if form.is_valid():
            try:
                team_services.member_roles_set(
                    organization=self.organization,
                    user=member.user,
                    roles=form.cleaned_data["roles"],
                    actor=request.user,
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"Roles of {member.user.get_full_name()} saved.")
                return self.back()
        return self._render(member, form, status=400)


class MemberActiveView(TeamMixin, View):
    http_method_names = ["post"]

    def post(self, request, org, user_id: int):
        member = team_member_get(organization=self.organization, user_id=user_id)
        active = request.POST.get("active") == "1"
        try:
            changed = team_services.member_set_active(
                organization=self.organization, user=member.user, active=active, actor=request.user
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            if changed:
                verb = "reactivated" if active else "deactivated"
                messages.success(request, f"{member.user.get_full_name()} {verb}.")
        return self.back()


class MfaPolicyView(TeamMixin, View):
    http_method_names = ["post"]

    def post(self, request, org):
        form = MfaPolicyForm(request.POST, kind=self.organization.kind, auto_id="policy_%s")
        if form.is_valid():
            try:
                team_services.mfa_policy_set(
                    organization=self.organization, roles=form.cleaned_data["roles"], actor=request.user
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Two-factor sign-in policy saved.")
                return self.back()
        return self.render_page("core/team/team.html", self.team_context(policy_form=form), status=400)


def team_views(kind: str) -> dict[str, object]:
    viewers = frozenset({Role.COOP_STAFF}) if kind == OrgKind.COOPERATIVE else frozenset()

    def make(base, **extra):
        return type(f"{kind.title()}{base.__name__}", (base,), {"organization_kind": kind, **extra}).as_view()

    return {
        "team": make(TeamView, viewers=viewers),
        "invite": make(TeamInviteView),
        "resend": make(InvitationActionView, action="resend"),
        "revoke": make(InvitationActionView, action="revoke"),
        "member": make(MemberEditView),
        "member_active": make(MemberActiveView),
        "mfa_policy": make(MfaPolicyView),
    }


# --- the invitation link -----------------------------------------------------------------------------------------


class InvitationView(View):
    """What the invitation link opens: who invites whom to what, and what to do next in each state."""

    template_name = "core/team/invitation.html"

    def _invitation(self, token):
        return invitation_services.invitation_by_token(token=token)

    def _render(self, request, token, invitation, *, status=200, error=None):
        user = request.user
        state = invitation.status if invitation else "unknown"
        context = {
            "invitation": invitation,
            "token": token,
            "state": state,
            "error": error,
            "role_names": [Role(r).label for r in invitation.roles] if invitation else [],
            "signed_in_as_invited": user.is_authenticated and invitation and user.email.lower() == invitation.email,
            "next_query": urlencode({"next": reverse("invitation", kwargs={"token": token})}),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, token: str):
        invitation = self._invitation(token)
        return self._render(request, token, invitation, status=200 if invitation else 404)

    def post(self, request, token: str):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        try:
            invitation = invitation_services.invitation_accept(token=token, user=request.user)
        except ApplicationError as exc:
            invitation = self._invitation(token)
            return self._render(request, token, invitation, status=exc.status_code, error=exc.message)
        request.session.pop(INVITATION_SESSION_KEY, None)
        organization = invitation.organization
        messages.success(request, f"Welcome to {organization.name}.")
        return redirect(organization.get_absolute_url())


class InvitationSignupView(View):
    """Create an account from an invitation: the sign-up form then fixes the e-mail to the invited address, and
    that address counts as verified (the person clicked the link sent to it), so no confirmation e-mail is needed.
    A dead link, or a visitor already signed in, goes back to the invitation page, which says what to do."""

    def get(self, request, token: str):
        invitation = invitation_services.invitation_by_token(token=token)
        if invitation is None:
            raise Http404("This invitation link is not valid.")
        if invitation.status != "pending" or request.user.is_authenticated:
            return redirect("invitation", token=token)
        request.session[INVITATION_SESSION_KEY] = {"token": token, "email": invitation.email}
        get_adapter(request).stash_verified_email(request, invitation.email)
        query = urlencode({"next": reverse("invitation", kwargs={"token": token})})
        return redirect(f"{reverse('account_signup')}?{query}")


class InvitationRequestNewView(View):
    """A used, expired or withdrawn link: tell the organization's admins (rate-limited; the answer is the same
    whether or not anyone was notified)."""

    http_method_names = ["post"]

    def post(self, request, token: str):
        invitation = invitation_services.invitation_by_token(token=token)
        if invitation is None:
            raise Http404("This invitation link is not valid.")
        if invitation.status == "pending":
            return redirect("invitation", token=token)
        invitation_services.invitation_request_new(invitation=invitation)
        messages.info(
            request,
            f"We have asked the admins of {invitation.organization.name} to send you a new invitation.",
        )
        return redirect("invitation", token=token)
