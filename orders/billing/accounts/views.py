"""On-account pages. Agency finance: record an ACH or check payment of an invoice, the payments list (filters:
method, status, dates), reverse a payment entered in error, overdue invoices, payment terms per supplier. The
supplier's order desk: its overdue invoices. Admin fees per quarter (with CSV) for the supplier's admins and the
co-op's staff. A refused write re-renders the form with what was wrong (nothing changed)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views import View

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import money
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind, Role
from marketplace.core.tenancy import OrganizationViewMixin
from orders.billing.accounts import selectors
from orders.billing.accounts.export import admin_fees_csv_response
from orders.billing.accounts.filters import PaymentFilter
from orders.billing.accounts.forms import PaymentRecordForm, PaymentReverseForm, PaymentTermsForm
from orders.billing.models import PAYABLE_INVOICE_STATUSES, PaymentStatus
from orders.billing.services import accounts
from orders.purchase_orders.desk.roles import ORDER_DESK_ROLES

PAYMENTS_PER_PAGE = 50


class AgencyFinanceMixin(OrganizationViewMixin):
    organization_kind = OrgKind.AGENCY
    required_roles = accounts.FINANCE_PAGE_ROLES


class RecordPaymentView(AgencyFinanceMixin, View):
    required_roles = accounts.PAYMENT_ROLES

    def get_invoice(self):
        invoice = selectors.payable_invoice_get(agency=self.organization, invoice_id=self.kwargs["invoice_id"])
        if invoice is None:
            raise Http404("No such invoice.")
        return invoice

    def get(self, request, org, invoice_id):
        invoice = self.get_invoice()
        form = PaymentRecordForm(
            initial={"method": "ach", "amount": invoice.balance_due, "paid_on": organization_today(self.organization)}
        )
        return self.render_form(invoice, form)

    def post(self, request, org, invoice_id):
        invoice = self.get_invoice()
        form = PaymentRecordForm(request.POST)
        if not form.is_valid():
            return self.render_form(invoice, form, status=400)
        try:
            payment = accounts.payment_record(invoice=invoice, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_service_error(exc)
            return self.render_form(self.get_invoice(), form, status=exc.status_code)
        messages.success(
            request,
            f"Payment of {money(payment.amount)} recorded on invoice {invoice.number}. "
            f"Balance due now: {money(payment.invoice.balance_due)}.",
        )
        return HttpResponseRedirect(reverse("agency-payments", args=[self.organization.slug]))

    def render_form(self, invoice, form, status=200):
        context = {"invoice": invoice, "form": form, "payable": invoice.status in PAYABLE_INVOICE_STATUSES}
        return self.render_page("billing/accounts/record_payment.html", context, status=status)


class PaymentListView(AgencyFinanceMixin, View):
    def get(self, request, org):
        filters = PaymentFilter(request.GET, request=request, organization=self.organization)
        payments = selectors.payment_list(agency=self.organization, filters=filters)
        page = Paginator(payments, PAYMENTS_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            "form": filters.form,
            "page_obj": page,
            "payments": page.object_list,
            "filtered": filters.active,
            "can_reverse": accounts.PAYMENT_ROLES & self.access.roles,
            "on_account": accounts.ON_ACCOUNT_METHODS,
            "succeeded": PaymentStatus.SUCCEEDED,
        }
        return self.render_page("billing/accounts/payments.html", context, status=400 if filters.errors else 200)


class PaymentReverseView(AgencyFinanceMixin, View):
    required_roles = accounts.PAYMENT_ROLES

    def get_payment(self):
        payment = selectors.payment_get(agency=self.organization, payment_id=self.kwargs["payment_id"])
        if payment is None:
            raise Http404("No such payment.")
        return payment

    def get(self, request, org, payment_id):
        return self.render_form(self.get_payment(), PaymentReverseForm())

    def post(self, request, org, payment_id):
        payment = self.get_payment()
        form = PaymentReverseForm(request.POST)
        if not form.is_valid():
            return self.render_form(payment, form, status=400)
        try:
            accounts.payment_reverse(payment=payment, actor=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_service_error(exc)
            return self.render_form(self.get_payment(), form, status=exc.status_code)
        messages.success(
            request, f"Payment {payment.reference} of {money(payment.amount)} reversed. The invoice is open again."
        )
        return HttpResponseRedirect(reverse("agency-payments", args=[self.organization.slug]))

    def render_form(self, payment, form, status=200):
        return self.render_page(
            "billing/accounts/reverse_payment.html", {"payment": payment, "form": form}, status=status
        )


class AgencyOverdueView(AgencyFinanceMixin, View):
    def get(self, request, org):
        context = {
            "invoices": selectors.overdue_invoice_list(organization=self.organization),
            "party": "supplier",
            "can_pay": accounts.PAYMENT_ROLES & self.access.roles,
        }
        return self.render_page("billing/accounts/overdue.html", context)


class SupplierOverdueView(OrganizationViewMixin, View):
    organization_kind = OrgKind.SUPPLIER
    required_roles = ORDER_DESK_ROLES

    def get(self, request, org):
        context = {"invoices": selectors.overdue_invoice_list(organization=self.organization), "party": "agency"}
        return self.render_page("billing/accounts/overdue.html", context)


class PaymentTermsView(AgencyFinanceMixin, View):
    def get(self, request, org):
        return self.render_terms()

    def post(self, request, org):
        form = PaymentTermsForm(request.POST)
        supplier = None
        if form.is_valid():
            supplier = selectors.payment_terms_supplier(agency=self.organization, slug=form.cleaned_data["supplier"])
            if supplier is None:
                form.add_error(None, "Choose a supplier your agency buys from.")
        if not form.is_valid():
            return self.render_terms(form=form, status=400)
        try:
            accounts.payment_terms_set(
                agency=self.organization, supplier=supplier, net_days=form.cleaned_data["net_days"], actor=request.user
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
            return self.render_terms(form=form, status=exc.status_code)
        messages.success(
            request, f"Terms with {supplier.name}: net {form.cleaned_data['net_days']} days for invoices from now on."
        )
        return HttpResponseRedirect(reverse("agency-payment-terms", args=[self.organization.slug]))

    def render_terms(self, form=None, status=200):
        context = {
            "rows": selectors.payment_terms_rows(agency=self.organization),
            "form": form,
            "failed_supplier": form.data.get("supplier") if form is not None else None,
            "net_days_max": accounts.NET_DAYS_MAX,
        }
        return self.render_page("billing/accounts/terms.html", context, status=status)


class SupplierAdminFeesMixin(OrganizationViewMixin):
    organization_kind = OrgKind.SUPPLIER
    required_roles = frozenset({Role.SUPPLIER_ADMIN})
    export_url = "supplier-admin-fees-export"


class CoopAdminFeesMixin(OrganizationViewMixin):
    organization_kind = OrgKind.COOPERATIVE
    required_roles = COOP_STAFF_ROLES
    export_url = "coop-admin-fees-export"


class _AdminFeesPage(View):
    def get(self, request, org):
        context = {
            "rows": selectors.admin_fee_quarters(organization=self.organization),
            "export_url": reverse(self.export_url, args=[self.organization.slug]),
            "is_coop": self.organization.kind == OrgKind.COOPERATIVE,
        }
        return self.render_page("billing/accounts/admin_fees.html", context)


class _AdminFeesExport(View):
    def get(self, request, org):
        rows = selectors.admin_fee_quarters(organization=self.organization)
        return admin_fees_csv_response(rows, filename=f"{self.organization.slug}-admin-fees.csv")


class SupplierAdminFeesView(SupplierAdminFeesMixin, _AdminFeesPage):
    pass


class SupplierAdminFeesExportView(SupplierAdminFeesMixin, _AdminFeesExport):
    pass


class CoopAdminFeesView(CoopAdminFeesMixin, _AdminFeesPage):
    pass


class CoopAdminFeesExportView(CoopAdminFeesMixin, _AdminFeesExport):
    pass
