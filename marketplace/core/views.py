"""Kernel pages: notifications, API tokens, audit log (the front page and home routing live in contracts)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View, defaults
from django.views.generic import ListView

from .api.errors import error_body
from .errors import ApplicationError
from .filters import NotificationFilter
from .forms import ApiTokenForm, AuditFilterForm, NotificationPreferencesForm
from .models import ApiToken
from .roles import ADMIN_ROLES, OrgKind
from .selectors import audit_event_list, notification_list, notification_preference_list
from .services.notifications import notification_mark_read, notification_preferences_set, notification_read_set
from .services.tokens import api_token_create, api_token_revoke
from .tenancy import OrganizationViewMixin

API_PREFIX = "/api/"


def page_not_found(request, exception=None):
    """handler404: the API's JSON error shape under /api/ (a path no route matches included), else the page."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body("not_found", "Not found."), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500: the API's JSON error shape under /api/, else the page. Never shows the exception."""
    if request.path.startswith(API_PREFIX):
        message = "Something went wrong on our side; try again later."
        return JsonResponse(error_body("server_error", message), status=500)
    return defaults.server_error(request)


def _notifications_url(request) -> str:
    """Back to the centre, keeping the "Unread" filter the form was posted from (the only state it has)."""
    return reverse("notifications") + ("?unread=1" if request.POST.get("unread") == "1" else "")


class NotificationListView(LoginRequiredMixin, ListView):
    """The user's notification centre: newest first, all or only unread, each marked read or unread."""

    template_name = "core/notifications.html"
    context_object_name = "notifications"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = NotificationFilter(self.request.GET, request=self.request)
        return self.filterset.narrow(notification_list(user=self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["unread_only"] = self.request.GET.get("unread") == "1"
        return context


class NotificationsMarkReadView(LoginRequiredMixin, View):
    """Mark all of the user's notifications read."""

    http_method_names = ["post"]

    def post(self, request):
        count = notification_mark_read(user=request.user)
        messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
        return redirect(_notifications_url(request))


class NotificationMarkView(LoginRequiredMixin, View):
    """Mark one notification read (`read = True`) or unread. With htmx the answer is the notification's row and the
    header's unread count (out of band); without JavaScript, back to the centre."""

    http_method_names = ["post"]
    read: bool = True

    def post(self, request, notification_id: int):
        try:
            notification = notification_read_set(user=request.user, notification_id=notification_id, read=self.read)
        except ApplicationError as exc:
            raise Http404(exc.message) from exc
        htmx = getattr(request, "htmx", None)
        if htmx and not htmx.boosted:
            context = {"n": notification, "unread_only": request.POST.get("unread") == "1", "oob": True}
            return render(request, "core/partials/notification_marked.html", context)
        state = "read" if self.read else "unread"
        messages.success(request, f"Marked “{notification.title}” as {state}.")
        return redirect(_notifications_url(request))


class NotificationPreferencesView(LoginRequiredMixin, View):
    """Per-kind e-mail settings: one checkbox per kind, saved in one POST."""

    template_name = "core/notification_settings.html"

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {"form": form, "groups": form.groups()}, status=status)

    def _form(self, request, data=None):
        rows = notification_preference_list(user=request.user, relevant_only=True)
        return NotificationPreferencesForm(data, rows=rows)

    def get(self, request):
        return self._render(request, self._form(request))

    def post(self, request):
        form = self._form(request, request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            notification_preferences_set(user=request.user, email=form.email_choices())
        except ApplicationError as exc:
            form.add_service_error(exc)
            return self._render(request, form, status=400)
        messages.success(request, "Your notification settings were saved.")
        return redirect("notification-settings")


class ApiTokenView(LoginRequiredMixin, View):
    template_name = "core/api_tokens.html"

    def _render(self, request, form, secret=None, status=200):
        tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
        return render(
            request, self.template_name, {"form": form, "tokens": tokens, "new_secret": secret}, status=status
        )

    def get(self, request):
        return self._render(request, ApiTokenForm())

    def post(self, request):
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            token, secret = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ApplicationError as exc:
            form.add_service_error(exc)
            return self._render(request, form, status=400)
        messages.success(request, f"Token “{token.name}” created. Copy it now: it will not be shown again.")
        return self._render(request, ApiTokenForm(), secret=secret)


class ApiTokenRevokeView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, token_id: int):
        try:
            token = api_token_revoke(user=request.user, token_id=token_id)
        except ApplicationError as exc:
            raise Http404(exc.message) from exc
        messages.success(request, f"Token “{token.name}” revoked.")
        return redirect("api-tokens")


def _audit_context(request, *, organization=None) -> dict:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if organization is not None:
        filters = {k: v for k, v in filters.items() if k != "organization"}
    page = Paginator(audit_event_list(organization=organization, filters=filters), 50).get_page(request.GET.get("page"))
    return {"form": form, "page_obj": page, "events": page.object_list}


class StaffAuditLogView(LoginRequiredMixin, UserPassesTestMixin, View):
    """Platform operators: every organization's audit rows."""

    def test_func(self):
        return self.request.user.is_staff

    def get(self, request):
        return render(request, "core/audit_log.html", {**_audit_context(request), "scope": "all organizations"})


class OrganizationAuditLogView(OrganizationViewMixin, View):
    """Organization admins: their own organization's audit rows."""

    required_roles = ADMIN_ROLES

    def get(self, request, org):
        context = _audit_context(request, organization=self.organization)
        return self.render_page("core/audit_log.html", {**context, "scope": self.organization.name})


def organization_audit_view(kind: str):
    return type(f"{kind.title()}AuditLogView", (OrganizationAuditLogView,), {"organization_kind": kind}).as_view()


AGENCY_AUDIT = organization_audit_view(OrgKind.AGENCY)
SUPPLIER_AUDIT = organization_audit_view(OrgKind.SUPPLIER)
COOP_AUDIT = organization_audit_view(OrgKind.COOPERATIVE)
