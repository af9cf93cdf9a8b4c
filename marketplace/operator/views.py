"""The platform operator's home: what runs, what waits and who is here, across every organization. It sits above the
apps (like `marketplace.urls`), so it may read each app's queues; only users with `is_staff` see it."""

from __future__ import annotations

from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from agencies.models import AgreementAcceptance, ApplicationStatus, JoinApplication
from contracts.catalog.models import CatalogImport, ImportStatus
from marketplace.core.health import health_report
from marketplace.core.models import AuditEvent, Organization, OutgoingEmail, User
from marketplace.core.roles import OrgKind
from orders.billing.models import StripeEvent
from suppliers.models import Supplier, VettingStatus


def _counts(queryset, field: str) -> dict[str, int]:
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))


def operator_overview() -> dict:
    """Every figure the operator home shows; a fixed number of queries whatever the size of the platform."""
    now = timezone.now()
    day_ago, month_ago = now - timedelta(days=1), now - timedelta(days=30)
    kinds = _counts(Organization.objects.filter(is_active=True), "kind")
    users = User.objects.aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        signed_in_30_days=Count("pk", filter=Q(is_active=True, last_login__gte=month_ago)),
        operators=Count("pk", filter=Q(is_staff=True, is_active=True)),
    )
    users["with_two_factor"] = (
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values("user_id").distinct().count()
    )
    imports = _counts(CatalogImport.objects.unscoped().filter(created_at__gte=now - timedelta(days=7)), "status")
    unsent = OutgoingEmail.objects.filter(sent_at__isnull=True)
    running = (ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.APPLYING)
    applications = JoinApplication.objects.unscoped()
    suppliers = Supplier.objects.unscoped()
    queues = [
        ("E-mails not sent yet", unsent.count(), ""),
        ("E-mails waiting more than a day", unsent.filter(created_at__lt=day_ago).count(), "bad"),
        ("Catalog imports queued or running (7 days)", sum(imports.get(s, 0) for s in running), ""),
        ("Catalog imports failed (7 days)", imports.get(ImportStatus.FAILED, 0), "bad"),
        ("Stripe events not processed", StripeEvent.objects.filter(processed_at__isnull=True).count(), "bad"),
        (
            "Signed agreements without a PDF",
            AgreementAcceptance.objects.unscoped().exclude(pdf_status="ready").count(),
            "",
        ),
        (
            "Join applications waiting for co-op staff",
            applications.filter(status=ApplicationStatus.PENDING).count(),
            "",
        ),
        ("Suppliers waiting for vetting", suppliers.filter(vetting_status=VettingStatus.SUBMITTED).count(), ""),
        ("Suppliers suspended", suppliers.filter(vetting_status=VettingStatus.SUSPENDED).count(), "bad"),
    ]
    return {
        "organizations": [(OrgKind(kind).label, kinds.get(kind, 0)) for kind in OrgKind.values],
        "users": users,
        "queues": queues,
        "recent_events": list(
            AuditEvent.objects.unscoped().select_related("organization").order_by("-created_at")[:10]
        ),
        "health": health_report(),
    }


class OperatorHomeView(LoginRequiredMixin, UserPassesTestMixin, View):
    """`/operator/`: a signed-in non-operator gets 403, a visitor the sign-in page."""

    def test_func(self) -> bool:
        return self.request.user.is_staff

    def get(self, request):
        return render(request, "operator/home.html", operator_overview())
