"""Card payment pages of an agency (`/agencies/<org>/invoices/<id>/pay/` and the payment's status page), the
supplier's credit page (`/suppliers/<org>/invoices/<id>/credit/`) and Stripe's webhook (`POST /webhooks/stripe/`).

The pay page's card form is Stripe.js (`settings.STRIPE_JS_URL`) driven by our own `static/js/card-payment.js`;
the Content Security Policy of that page adds exactly the Stripe.js origin (script, frame) and the Stripe API
origin (connect), nothing broader. What the payment became is always read from our database, which only the
webhook settles."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from marketplace.core.errors import ApplicationError
from marketplace.core.roles import OrgKind
from marketplace.core.tenancy import OrganizationViewMixin
from orders.billing.cards import selectors
from orders.billing.cards.api.serializers import (
    CardPaymentConfirmInputSerializer,
    CardPaymentConfirmSerializer,
    CreditMemoInputSerializer,
)
from orders.billing.models import PAYABLE_INVOICE_STATUSES, PaymentStatus
from orders.billing.services import cards
from orders.purchase_orders.desk.api.serializers import parse

STRIPE_API = "https://api.stripe.com"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def stripe_csp() -> dict[str, list[str]]:
    """The additions to the site's CSP on a page that loads Stripe.js."""
    js = _origin(settings.STRIPE_JS_URL)
    return {"script-src": [js], "frame-src": [js], "connect-src": [_origin(settings.STRIPE_API_BASE or STRIPE_API)]}


class _AgencyInvoiceMixin(OrganizationViewMixin):
    organization_kind = OrgKind.AGENCY

    def get_invoice(self):
        invoice = selectors.invoice_for_organization(
            organization=self.organization, invoice_id=self.kwargs["invoice_id"]
        )
        if invoice is None:
            raise Http404("No such invoice.")
        refusal = cards.card_payer_refusal(invoice=invoice, actor=self.request.user)
        if refusal:
            raise PermissionDenied(refusal)
        return invoice


class CardPayView(_AgencyInvoiceMixin, View):
    def get(self, request, org, invoice_id):
        return self.render_pay(self.get_invoice())

    def post(self, request, org, invoice_id):
        invoice = self.get_invoice()
        try:
            started = cards.card_payment_start(invoice=invoice, actor=request.user)
        except ApplicationError as exc:
            fresh = selectors.invoice_for_organization(organization=self.organization, invoice_id=invoice_id)
            return self.render_pay(fresh, message=exc.message, status=exc.status_code)
        status_url = reverse(
            "agency-card-payment", args=[self.organization.slug, invoice.public_id, started.payment.public_id]
        )
        return self.render_pay(invoice, started=started, status_url=status_url)

    def render_pay(self, invoice, *, started=None, status_url="", message="", status=200):
        pending = invoice.payments.filter(status=PaymentStatus.PENDING).first() if started is None else None
        context = {
            "invoice": invoice,
            "po": invoice.purchase_order,
            "payable": invoice.status in PAYABLE_INVOICE_STATUSES and invoice.balance_due > 0,
            "pending": pending,
            "started": started,
            "status_url": status_url,
            "message": message,
            "stripe_js_url": settings.STRIPE_JS_URL,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        }
        response = self.render_page("orders/cards/pay.html", context, status=status)
        if started is not None:
            response._csp_update = stripe_csp()
        return response


class CardPaymentStatusView(_AgencyInvoiceMixin, View):
    def get(self, request, org, invoice_id, payment_id):
        invoice = self.get_invoice()
        payment = selectors.payment_for_organization(
            organization=self.organization, invoice=invoice, payment_id=payment_id
        )
        if payment is None:
            raise Http404("No such payment.")
        context = {"invoice": invoice, "payment": payment, "poll": payment.status == PaymentStatus.PENDING}
        if request.headers.get("HX-Request"):
            return self.render_page("orders/cards/payment.html#state", context)
        return self.render_page("orders/cards/payment.html", context)


class CardPaymentConfirmView(_AgencyInvoiceMixin, View):
    """The pay page's script posts the Stripe.js card token here (JSON answer, CSRF protected); the answer says
    what Stripe did, and the page then shows the payment's status page, which reads our own books."""

    http_method_names = ["post"]

    def post(self, request, org, invoice_id, payment_id):
        invoice = self.get_invoice()
        payment = selectors.payment_for_organization(
            organization=self.organization, invoice=invoice, payment_id=payment_id
        )
        if payment is None:
            raise Http404("No such payment.")
        try:
            data = parse(CardPaymentConfirmInputSerializer, {"token": request.POST.get("token", "")}).validated_data
            confirmed = cards.card_payment_confirm(payment=payment, actor=request.user, token=data["token"])
        except ApplicationError as exc:
            return JsonResponse(
                {"error": {"code": exc.code, "message": exc.message, "fields": exc.fields}}, status=exc.status_code
            )
        body = CardPaymentConfirmSerializer(confirmed).data
        body["status_url"] = reverse(
            "agency-card-payment", args=[self.organization.slug, invoice.public_id, payment.public_id]
        )
        return JsonResponse(body)


class CreditMemoView(OrganizationViewMixin, View):
    organization_kind = OrgKind.SUPPLIER
    required_roles = cards.CREDIT_ROLES

    def get_invoice(self):
        invoice = selectors.invoice_with_lines(organization=self.organization, invoice_id=self.kwargs["invoice_id"])
        if invoice is None:
            raise Http404("No such invoice.")
        return invoice

    def get(self, request, org, invoice_id):
        return self.render_credit(self.get_invoice())

    def post(self, request, org, invoice_id):
        invoice = self.get_invoice()
        body = {k: request.POST.get(k, "") for k in ("po_line", "quantity", "reason")}
        try:
            data = parse(CreditMemoInputSerializer, body).validated_data
            memo = cards.credit_memo_create(
                invoice=invoice,
                actor=request.user,
                po_line_id=data["po_line"],
                quantity=data["quantity"],
                reason=data["reason"],
            )
        except ApplicationError as exc:
            return self.render_credit(
                self.get_invoice(), values=body, errors=exc.fields, message=exc.message, status=exc.status_code
            )
        done = f"Credit memo {memo.number} recorded for {memo.quantity} × {memo.po_line.sku}."
        if memo.stripe_refund_id:
            done += " The refund to the agency's card is on its way."
        messages.success(request, done)
        return HttpResponseRedirect(
            reverse("supplier-invoice-credit", args=[self.organization.slug, invoice.public_id])
        )

    def render_credit(self, invoice, *, values=None, errors=None, message="", status=200):
        context = {
            "invoice": invoice,
            "lines": list(invoice.lines.all()),
            "memos": list(invoice.credit_memos.all()),
            "values": values or {},
            "errors": errors or {},
            "message": message,
        }
        return self.render_page("orders/cards/credit.html", context, status=status)


@method_decorator(csrf_exempt, name="dispatch")
class StripeWebhookView(View):
    """Stripe's signed events, an inbox: 400 when the signature does not verify (Stripe retries; a forger learns
    nothing); 200 once a verified event is stored for the worker ("received"), or already was ("already received"),
    or is a type we do not handle ("ignored")."""

    http_method_names = ["post"]

    def post(self, request):
        try:
            outcome = cards.stripe_event_receive(
                payload=request.body, signature=request.headers.get("Stripe-Signature", "")
            )
        except ApplicationError as exc:
            return JsonResponse(
                {"error": {"code": exc.code, "message": exc.message, "fields": exc.fields}}, status=exc.status_code
            )
        return JsonResponse({"received": outcome.event_id, "outcome": outcome.outcome})
