"""Agency set-up pages (/agencies/<org>/setup/…): agency admins keep departments, ship-to facilities, fund
codes, approval rules, tax-exemption certificates and members' defaults; every member sets their own ordering
defaults and may download the agency's certificates.

Departments, facilities, fund codes and approval rules share one shape (list, new, edit, activate /
deactivate), so each is a small subclass of the generic views below naming its form, services and selectors.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from agencies.setup import selectors, services
from agencies.setup.forms import (
    ActiveForm,
    ApprovalRuleForm,
    DepartmentForm,
    FacilityForm,
    FundCodeForm,
    MemberDefaultsForm,
    TaxCertificateForm,
)
from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.roles import OrgKind, Role
from marketplace.core.tenancy import OrganizationViewMixin

ADMIN = frozenset({Role.AGENCY_ADMIN})


class SetupMixin(OrganizationViewMixin):
    organization_kind = OrgKind.AGENCY
    required_roles = ADMIN


class SetupHomeView(SetupMixin, View):
    def get(self, request, org):
        agency = self.organization
        summary = selectors.setup_summary(agency=agency)
        cards = [
            (
                "agency-setup-facilities",
                "Ship-to facilities",
                summary.facilities,
                "active",
                "Where orders are delivered.",
            ),
            ("agency-setup-departments", "Departments", summary.departments, "active", "Who buys."),
            ("agency-setup-fund-codes", "Fund codes", summary.fund_codes, "active", "The accounts order lines charge."),
            ("agency-setup-approval-rules", "Approval rules", summary.rules, "active", "Who approves what."),
            (
                "agency-setup-tax-certificates",
                "Tax exemption",
                summary.certificates,
                "certificates on file",
                "No sales tax where one is valid.",
            ),
            ("agency-setup-members", "Members' defaults", summary.members, "members", "Default ship-to and fund code."),
        ]
        context = {"cards": cards, "ladder": selectors.approval_ladder(agency=agency), "section": "home"}
        return self.render_page("agencies/setup/home.html", context)


# --- the generic list / new / edit / activate views --------------------------------------------------------


class Resource:
    """What a set-up resource's pages need. Subclasses fill these in."""

    section: ClassVar[str]  # URL-name stem of one row, e.g. "department" ("agency-setup-department-edit")
    plural: ClassVar[str]  # URL segment and name of the list: "departments" ("agency-setup-departments")
    label: ClassVar[str]  # "department"
    title: ClassVar[str]  # "Departments"
    id_kwarg: ClassVar[str]  # "department_id"
    list_template: ClassVar[str]
    form_class: ClassVar[type]
    create: ClassVar[Any]
    update: ClassVar[Any]
    set_active: ClassVar[Any]
    object_kwarg: ClassVar[str]  # the services' keyword for the row: "department"

    @classmethod
    def rows(cls, agency):
        raise NotImplementedError

    @classmethod
    def get(cls, agency, pk):
        raise NotImplementedError

    @classmethod
    def list_url(cls, org: str) -> str:
        return reverse(f"agency-setup-{cls.plural}", kwargs={"org": org})


class ResourceListView(SetupMixin, View):
    resource: ClassVar[type[Resource]]

    def get(self, request, org):
        rows = list(self.resource.rows(self.organization))
        context = {"rows": rows, "section": self.resource.plural, **self.extra_context(rows)}
        return self.render_page(self.resource.list_template, context)

    def extra_context(self, rows) -> dict:
        return {}


class ResourceFormView(SetupMixin, View):
    resource: ClassVar[type[Resource]]

    def get_object(self):
        return None

    def render_form(self, form, obj, status=200):
        r = self.resource
        return self.render_page(
            "agencies/setup/form.html",
            {
                "form": form,
                "object": obj,
                "resource": r,
                "list_url": r.list_url(self.organization.slug),
                "section": r.plural,
            },
            status=status,
        )

    def get(self, request, org, **kwargs):
        obj = self.get_object()
        return self.render_form(self.resource.form_class(agency=self.organization, instance=obj), obj)

    def post(self, request, org, **kwargs):
        r, obj = self.resource, self.get_object()
        form = r.form_class(request.POST, agency=self.organization, instance=obj)
        if form.is_valid():
            try:
                if obj is None:
                    obj = r.create(agency=self.organization, actor=request.user, data=form.to_data())
                    messages.success(request, f"{r.label.capitalize()} “{obj}” added.")
                else:
                    obj = r.update(**{r.object_kwarg: obj}, actor=request.user, data=form.to_data())
                    messages.success(request, f"{r.label.capitalize()} “{obj}” saved.")
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                return redirect(r.list_url(self.organization.slug))
        return self.render_form(form, obj, status=400)


class ResourceEditView(ResourceFormView):
    def get_object(self):
        return self.resource.get(self.organization, self.kwargs[self.resource.id_kwarg])


class ResourceActiveView(SetupMixin, View):
    """POST active=1 to reactivate, active=0 to deactivate; back to the list with a message."""

    resource: ClassVar[type[Resource]]

    def post(self, request, org, **kwargs):
        r = self.resource
        obj = r.get(self.organization, kwargs[r.id_kwarg])
        form = ActiveForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose whether to activate or deactivate.")
            return redirect(r.list_url(org))
        active = form.cleaned_data["active"]
        try:
            r.set_active(**{r.object_kwarg: obj}, actor=request.user, active=active)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{r.label.capitalize()} “{obj}” {'reactivated' if active else 'deactivated'}.")
        return redirect(r.list_url(org))


# --- the four resources ---------------------------------------------------------------------------------


class Departments(Resource):
    title = "Departments"
    section, plural, label, id_kwarg, object_kwarg = (
        "department",
        "departments",
        "department",
        "department_id",
        "department",
    )
    list_template = "agencies/setup/departments.html"
    form_class = DepartmentForm
    create, update, set_active = (
        staticmethod(services.department_create),
        staticmethod(services.department_update),
        staticmethod(services.department_set_active),
    )

    @classmethod
    def rows(cls, agency):
        return selectors.department_list(agency=agency)

    @classmethod
    def get(cls, agency, pk):
        return selectors.department_get(agency=agency, department_id=pk)


class Facilities(Resource):
    title = "Ship-to facilities"
    section, plural, label, id_kwarg, object_kwarg = "facility", "facilities", "facility", "facility_id", "facility"
    list_template = "agencies/setup/facilities.html"
    form_class = FacilityForm
    create, update, set_active = (
        staticmethod(services.facility_create),
        staticmethod(services.facility_update),
        staticmethod(services.facility_set_active),
    )

    @classmethod
    def rows(cls, agency):
        return selectors.facility_list(agency=agency)

    @classmethod
    def get(cls, agency, pk):
        return selectors.facility_get(agency=agency, facility_id=pk)


class FundCodes(Resource):
    title = "Fund codes"
    section, plural, label, id_kwarg, object_kwarg = "fund-code", "fund-codes", "fund code", "fund_code_id", "fund_code"
    list_template = "agencies/setup/fund_codes.html"
    form_class = FundCodeForm
    create, update, set_active = (
        staticmethod(services.fund_code_create),
        staticmethod(services.fund_code_update),
        staticmethod(services.fund_code_set_active),
    )

    @classmethod
    def rows(cls, agency):
        return selectors.fund_code_list(agency=agency)

    @classmethod
    def get(cls, agency, pk):
        return selectors.fund_code_get(agency=agency, fund_code_id=pk)


class ApprovalRules(Resource):
    title = "Approval rules"
    section, plural, label, id_kwarg, object_kwarg = (
        "approval-rule",
        "approval-rules",
        "approval rule",
        "rule_id",
        "rule",
    )
    list_template = "agencies/setup/approval_rules.html"
    form_class = ApprovalRuleForm
    create, update, set_active = (
        staticmethod(services.approval_rule_create),
        staticmethod(services.approval_rule_update),
        staticmethod(services.approval_rule_set_active),
    )

    @classmethod
    def rows(cls, agency):
        return selectors.approval_rule_list(agency=agency)

    @classmethod
    def get(cls, agency, pk):
        return selectors.approval_rule_get(agency=agency, rule_id=pk)


class DepartmentListView(ResourceListView):
    resource = Departments


class DepartmentCreateView(ResourceFormView):
    resource = Departments


class DepartmentEditView(ResourceEditView):
    resource = Departments


class DepartmentActiveView(ResourceActiveView):
    resource = Departments


class FacilityListView(ResourceListView):
    resource = Facilities


class FacilityCreateView(ResourceFormView):
    resource = Facilities


class FacilityEditView(ResourceEditView):
    resource = Facilities


class FacilityActiveView(ResourceActiveView):
    resource = Facilities


class FundCodeListView(ResourceListView):
    resource = FundCodes


class FundCodeCreateView(ResourceFormView):
    resource = FundCodes


class FundCodeEditView(ResourceEditView):
    resource = FundCodes


class FundCodeActiveView(ResourceActiveView):
    resource = FundCodes


class ApprovalRuleListView(ResourceListView):
    """The rules, and the ladder they make in words."""

    resource = ApprovalRules

    def extra_context(self, rows) -> dict:
        for rule in rows:
            rule.approvers_text = selectors.approvers_text(rule)
        return {"ladder": selectors.approval_ladder(agency=self.organization, rules=rows)}


class ApprovalRuleCreateView(ResourceFormView):
    resource = ApprovalRules


class ApprovalRuleEditView(ResourceEditView):
    resource = ApprovalRules


class ApprovalRuleActiveView(ResourceActiveView):
    resource = ApprovalRules


# --- tax-exemption certificates --------------------------------------------------------------------------


class TaxCertificateListView(SetupMixin, View):
    """The agency's certificates (valid / expired / withdrawn) and the upload form (POST here)."""

    def render_list(self, form, status=200):
        agency = self.organization
        today = organization_today(agency)
        rows = [
            (certificate, selectors.certificate_is_valid(certificate, on_date=today))
            for certificate in selectors.tax_certificate_list(agency=agency)
        ]
        return self.render_page(
            "agencies/setup/tax_certificates.html",
            {"rows": rows, "form": form, "today": today, "section": "tax-certificates"},
            status=status,
        )

    def get(self, request, org):
        return self.render_list(TaxCertificateForm())

    def post(self, request, org):
        form = TaxCertificateForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                certificate = services.tax_certificate_upload(
                    agency=self.organization, actor=request.user, **form.cleaned_data
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(
                    request,
                    f"Certificate {certificate.number} for {certificate.state} uploaded "
                    f"({certificate.page_count} page{'s' if certificate.page_count != 1 else ''}).",
                )
                return redirect("agency-setup-tax-certificates", org=org)
        return self.render_list(form, status=400)


class TaxCertificateWithdrawView(SetupMixin, View):
    def post(self, request, org, certificate_id):
        certificate = selectors.tax_certificate_get(agency=self.organization, certificate_id=certificate_id)
        try:
            services.tax_certificate_withdraw(certificate=certificate, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, f"Certificate {certificate.number} ({certificate.state}) withdrawn. It is kept in the record."
            )
        return redirect("agency-setup-tax-certificates", org=org)


class TaxCertificateDownloadView(OrganizationViewMixin, View):
    """Any member of the agency may download its certificates (a buyer may need to hand one to a store)."""

    organization_kind = OrgKind.AGENCY

    def get(self, request, org, certificate_id):
        certificate = selectors.tax_certificate_get(agency=self.organization, certificate_id=certificate_id)
        try:
            handle = certificate.file.open("rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404("The file is not available.") from exc
        name = certificate.original_name or f"{certificate.state}-{certificate.number}.pdf"
        return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")


# --- member defaults -------------------------------------------------------------------------------------


class MemberDefaultsListView(SetupMixin, View):
    def get(self, request, org):
        return self.render_page(
            "agencies/setup/members.html",
            {"rows": selectors.member_defaults_list(agency=self.organization), "section": "members"},
        )


class MemberDefaultsEditView(SetupMixin, View):
    """An agency admin sets one member's default facility and fund code."""

    template = "agencies/setup/member_defaults.html"

    def get(self, request, org, user_id):
        member = selectors.agency_member_get(agency=self.organization, user_id=user_id)
        defaults = selectors.member_defaults_get(agency=self.organization, user=member)
        form = MemberDefaultsForm(agency=self.organization, defaults=defaults)
        return self.render_page(self.template, {"form": form, "member": member, "section": "members"})

    def post(self, request, org, user_id):
        member = selectors.agency_member_get(agency=self.organization, user_id=user_id)
        form = MemberDefaultsForm(request.POST, agency=self.organization)
        if form.is_valid():
            try:
                services.member_defaults_set(
                    agency=self.organization, actor=request.user, user=member, **form.cleaned_data
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"Ordering defaults of {member.full_name or member.email} saved.")
                return redirect("agency-setup-members", org=org)
        return self.render_page(self.template, {"form": form, "member": member, "section": "members"}, status=400)


class MyDefaultsView(OrganizationViewMixin, View):
    """Any member sets their own default ship-to facility and fund code."""

    organization_kind = OrgKind.AGENCY
    template = "agencies/setup/my_defaults.html"

    def get(self, request, org):
        defaults = selectors.member_defaults_get(agency=self.organization, user=request.user)
        form = MemberDefaultsForm(agency=self.organization, defaults=defaults)
        return self.render_page(self.template, {"form": form})

    def post(self, request, org):
        form = MemberDefaultsForm(request.POST, agency=self.organization)
        if form.is_valid():
            try:
                services.member_defaults_set(
                    agency=self.organization, actor=request.user, user=request.user, **form.cleaned_data
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Your ordering defaults are saved.")
                return redirect("agency-my-defaults", org=org)
        return self.render_page(self.template, {"form": form}, status=400)
