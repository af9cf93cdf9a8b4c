"""Membership-agreement pages.

- Co-op (`/coops/<org>/agreement/…`, co-op staff and admins): publish a version, list versions with how many
  members accepted each, read a version and who accepted it, download the source and signed PDFs.
- Agency (`/agencies/<org>/agreement/…`, agency admins): the current agreement of each co-op the agency belongs
  to, the signing form, and the agency's signed agreements (PDF once the worker has rendered it)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views import View

from agencies.agreements import selectors, services
from agencies.agreements.forms import AcceptForm, PublishForm
from agencies.agreements.models import AgreementAcceptance, AgreementPDFStatus, AgreementVersion
from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind, Role
from marketplace.core.tenancy import OrganizationViewMixin


def source_response(version: AgreementVersion) -> FileResponse:
    if not version.source_file:
        raise Http404("This version has no source document.")
    try:
        handle = version.source_file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("The file is not available.") from exc
    name = version.source_name or f"agreement-{version.label}.pdf"
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")


def signed_pdf_response(acceptance: AgreementAcceptance) -> FileResponse:
    if acceptance.pdf_status != AgreementPDFStatus.READY or not acceptance.pdf:
        raise Http404("The signed agreement PDF is not ready yet.")
    try:
        handle = acceptance.pdf.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("The file is not available.") from exc
    filename = services.acceptance_pdf_filename(acceptance)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")


# --- co-op --------------------------------------------------------------------------------------------------


class CoopAgreementMixin(OrganizationViewMixin):
    organization_kind = OrgKind.COOPERATIVE
    required_roles = COOP_STAFF_ROLES


class CoopAgreementView(CoopAgreementMixin, View):
    template = "agencies/agreements/coop_versions.html"

    def render_list(self, form, status=200):
        versions = list(selectors.agreement_version_list(cooperative=self.organization))
        context = {
            "versions": versions,
            "form": form,
            "member_count": selectors.signing_member_count(cooperative=self.organization),
            "current": versions[0] if versions else None,
        }
        return self.render_page(self.template, context, status=status)

    def get(self, request, org):
        return self.render_list(PublishForm())

    def post(self, request, org):
        form = PublishForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                version = services.agreement_version_publish(
                    cooperative=self.organization, actor=request.user, **form.cleaned_data
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"Version {version.label} is published and is now the current agreement.")
                return redirect("coop-agreement-version", org=org, version_id=version.pk)
        return self.render_list(form, status=400)


class CoopAgreementVersionView(CoopAgreementMixin, View):
    def get(self, request, org, version_id):
        version = selectors.agreement_version_get(cooperative=self.organization, version_id=version_id)
        current = selectors.current_agreement(cooperative=self.organization)
        context = {
            "version": version,
            "is_current": current is not None and current.pk == version.pk,
            "paragraphs": services.agreement_paragraphs(version.body),
            "acceptances": list(selectors.version_acceptance_list(version=version)),
        }
        return self.render_page("agencies/agreements/coop_version.html", context)


class CoopAgreementSourceView(CoopAgreementMixin, View):
    def get(self, request, org, version_id):
        return source_response(selectors.agreement_version_get(cooperative=self.organization, version_id=version_id))


class CoopAcceptancePdfView(CoopAgreementMixin, View):
    def get(self, request, org, acceptance_id):
        return signed_pdf_response(
            selectors.coop_acceptance_get(cooperative=self.organization, public_id=acceptance_id)
        )


# --- agency -------------------------------------------------------------------------------------------------


class AgencyAgreementMixin(OrganizationViewMixin):
    organization_kind = OrgKind.AGENCY
    required_roles = frozenset({Role.AGENCY_ADMIN})


class AgencyAgreementView(AgencyAgreementMixin, View):
    template = "agencies/agreements/agency.html"

    def render_overview(self, *, bound: tuple[int, AcceptForm] | None = None, status: int = 200):
        agency = self.organization
        rows = []
        for standing in selectors.agency_agreement_overview(agency=agency):
            form = None
            if standing.current is not None and standing.accepted is None:
                if bound is not None and bound[0] == standing.current.pk:
                    form = bound[1]
                else:
                    form = AcceptForm(agency_name=agency.name, auto_id=f"v{standing.current.pk}-%s")
            paragraphs = services.agreement_paragraphs(standing.current.body) if standing.current else []
            rows.append({"standing": standing, "form": form, "paragraphs": paragraphs})
        context = {
            "rows": rows,
            "acceptances": list(selectors.agency_acceptance_list(agency=agency)),
            "today": organization_today(agency),
        }
        return self.render_page(self.template, context, status=status)

    def get(self, request, org):
        return self.render_overview()


class AgencyAgreementAcceptView(AgencyAgreementView):
    def get(self, request, org, version_id):
        return redirect("agency-agreement", org=org)

    def post(self, request, org, version_id):
        version = selectors.agency_version_get(agency=self.organization, version_id=version_id)
        form = AcceptForm(request.POST, agency_name=self.organization.name, auto_id=f"v{version.pk}-%s")
        if form.is_valid():
            try:
                services.agreement_accept(
                    agency=self.organization, version=version, actor=request.user, **form.cleaned_data
                )
            except ApplicationError as exc:
                if exc.code in ("already_accepted", "not_current"):  # the page shows the current state
                    (messages.info if exc.code == "already_accepted" else messages.error)(request, exc.message)
                    return redirect("agency-agreement", org=org)
                if exc.code == "not_found":
                    raise Http404(exc.message) from exc
                form.add_service_error(exc)
            else:
                messages.success(
                    request,
                    f"Signed: {self.organization.name} accepted {version.cooperative.name}'s membership agreement, "
                    f"version {version.label}. The signed PDF is being prepared; both sides are notified when it "
                    "is ready.",
                )
                return redirect("agency-agreement", org=org)
        return self.render_overview(bound=(version.pk, form), status=400)


class AgencyAgreementSourceView(AgencyAgreementMixin, View):
    def get(self, request, org, version_id):
        return source_response(selectors.agency_version_get(agency=self.organization, version_id=version_id))


class AgencyAcceptancePdfView(AgencyAgreementMixin, View):
    def get(self, request, org, acceptance_id):
        return signed_pdf_response(selectors.agency_acceptance_get(agency=self.organization, public_id=acceptance_id))
