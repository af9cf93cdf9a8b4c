"""Vetting pages.

Supplier admins (/suppliers/<org>/profile/…): complete the profile, upload the W-9, insurance and certifications,
keep the store locations, submit for vetting. Co-op staff (/coops/<org>/suppliers/…): invite suppliers, review
profiles and documents, verify or send back with comments."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind, Role
from marketplace.core.tenancy import OrganizationViewMixin
from suppliers.vetting import selectors, services
from suppliers.vetting.forms import (
    DOCUMENT_FORMS,
    InviteForm,
    ProfileForm,
    SendBackForm,
    StoreForm,
    document_forms,
)
from suppliers.vetting.models import DocumentStatus

SUPPLIER_ADMIN = frozenset({Role.SUPPLIER_ADMIN})


def _download(document) -> FileResponse:
    if not document.file:
        raise Http404("This certification has no file.")
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("The file is not available.") from exc
    name = document.original_name or f"{document.kind}-{document.pk}.pdf"
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")


# --- the supplier's side ---------------------------------------------------------------------------------


class SupplierAdminMixin(OrganizationViewMixin):
    organization_kind = OrgKind.SUPPLIER
    required_roles = SUPPLIER_ADMIN

    def profile_page(self, *, form=None, bound_document=None, status=200):
        supplier = selectors.own_supplier(organization=self.organization)
        today = organization_today(self.organization)
        if form is None:
            form = _profile_form(supplier)
        documents = list(selectors.supplier_document_list(supplier=self.organization))
        context = {
            "supplier": supplier,
            "form": form,
            "upload_forms": document_forms(bound_document),
            "bound_kind": bound_document.kind if bound_document is not None else None,
            "documents": documents,
            "stores": list(selectors.store_list(supplier=self.organization)),
            "missing": services.vetting_missing(supplier=supplier, today=today),
            "today": today,
        }
        return self.render_page("suppliers/vetting/profile.html", context, status=status)


def _profile_form(supplier, data=None) -> ProfileForm:
    initial = {name: getattr(supplier, name) for name in ProfileForm.base_fields}
    return ProfileForm(data, initial=initial, locked=supplier.vetting_status != "invited")


class ProfileView(SupplierAdminMixin, View):
    def get(self, request, org):
        return self.profile_page()

    def post(self, request, org):
        supplier = selectors.own_supplier(organization=self.organization)
        form = _profile_form(supplier, request.POST)
        if form.is_valid():
            try:
                services.supplier_profile_update(supplier=supplier, actor=request.user, data=form.cleaned_data)
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Profile saved.")
                return redirect("supplier-profile", org=org)
        return self.profile_page(form=form, status=400)


class DocumentUploadView(SupplierAdminMixin, View):
    def post(self, request, org):
        kind = request.POST.get("kind", "")
        form_class = DOCUMENT_FORMS.get(kind)
        if form_class is None:
            messages.error(request, "Choose the kind of document to upload.")
            return redirect("supplier-profile", org=org)
        form = form_class(request.POST, request.FILES, prefix=kind)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "file"}
            supplier = selectors.own_supplier(organization=self.organization)
            try:
                document = services.supplier_document_upload(
                    supplier=supplier, actor=request.user, kind=kind, data=data, file=form.cleaned_data.get("file")
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"{document.get_kind_display()} uploaded. The co-op reviews it.")
                return redirect(reverse("supplier-profile", kwargs={"org": org}) + "#documents")
        return self.profile_page(bound_document=form, status=400)


class DocumentDownloadView(SupplierAdminMixin, View):
    def get(self, request, org, supplier_document_id):
        return _download(selectors.supplier_document_get(supplier=self.organization, document_id=supplier_document_id))


class SubmitView(SupplierAdminMixin, View):
    def post(self, request, org):
        supplier = selectors.own_supplier(organization=self.organization)
        try:
            services.supplier_submit(supplier=supplier, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Submitted for vetting. The co-op will verify your profile or ask for changes.")
        return redirect("supplier-profile", org=org)


class StoreListView(SupplierAdminMixin, View):
    template = "suppliers/vetting/stores.html"

    def render_list(self, form, status=200):
        stores = list(selectors.store_list(supplier=self.organization))
        return self.render_page(self.template, {"stores": stores, "form": form}, status=status)

    def get(self, request, org):
        return self.render_list(StoreForm())

    def post(self, request, org):
        form = StoreForm(request.POST)
        if form.is_valid():
            try:
                store = services.store_location_create(
                    supplier=self.organization, actor=request.user, data=form.cleaned_data
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"Store “{store.name}” added at {store.latitude}, {store.longitude}.")
                return redirect("supplier-stores", org=org)
        return self.render_list(form, status=400)


class StoreEditView(SupplierAdminMixin, View):
    template = "suppliers/vetting/store_form.html"

    def get(self, request, org, store_id):
        store = selectors.store_get(supplier=self.organization, store_id=store_id)
        form = StoreForm(initial={name: getattr(store, name) for name in StoreForm.base_fields})
        return self.render_page(self.template, {"store": store, "form": form})

    def post(self, request, org, store_id):
        store = selectors.store_get(supplier=self.organization, store_id=store_id)
        form = StoreForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if data.get("latitude") is None and data.get("longitude") is None:
                data.pop("latitude"), data.pop("longitude")  # keep them, or move to a new ZIP's centre
            try:
                services.store_location_update(store=store, actor=request.user, data=data)
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"Store “{store.name}” saved.")
                return redirect("supplier-stores", org=org)
        return self.render_page(self.template, {"store": store, "form": form}, status=400)


# --- the co-op's side ------------------------------------------------------------------------------------


class CoopStaffMixin(OrganizationViewMixin):
    organization_kind = OrgKind.COOPERATIVE
    required_roles = COOP_STAFF_ROLES


class CoopSupplierListView(CoopStaffMixin, View):
    template = "suppliers/vetting/coop_list.html"

    def render_list(self, form, status=200):
        rows = list(selectors.coop_supplier_list(cooperative=self.organization))
        return self.render_page(self.template, {"rows": rows, "form": form}, status=status)

    def get(self, request, org):
        return self.render_list(InviteForm())

    def post(self, request, org):
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                supplier, invitation, _token = services.supplier_invite(
                    cooperative=self.organization, actor=request.user, data=form.cleaned_data
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(
                    request, f"{supplier.organization.name} invited: {invitation.email} received the invitation."
                )
                return redirect("coop-supplier", org=org, supplier=supplier.organization.slug)
        return self.render_list(form, status=400)


class CoopSupplierMixin(CoopStaffMixin):
    def supplier_page(self, *, send_back_form=None, status=200):
        supplier = selectors.coop_supplier_get(cooperative=self.organization, slug=self.kwargs["supplier"])
        today = organization_today(self.organization)
        documents = list(selectors.supplier_document_list(supplier=supplier.organization))
        context = {
            "supplier": supplier,
            "documents": documents,
            "pending": [d for d in documents if d.status == DocumentStatus.PENDING],
            "stores": list(selectors.store_list(supplier=supplier.organization)),
            "missing": services.vetting_missing(supplier=supplier, today=today, for_verification=True),
            "send_back_form": send_back_form or SendBackForm(),
            "today": today,
        }
        return self.render_page("suppliers/vetting/coop_detail.html", context, status=status)

    def get_supplier(self):
        return selectors.coop_supplier_get(cooperative=self.organization, slug=self.kwargs["supplier"])


class CoopSupplierDetailView(CoopSupplierMixin, View):
    def get(self, request, org, supplier):
        return self.supplier_page()


class CoopSupplierVerifyView(CoopSupplierMixin, View):
    def post(self, request, org, supplier):
        profile = self.get_supplier()
        try:
            services.supplier_verify(supplier=profile, cooperative=self.organization, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{profile.organization.name} is verified. Its contracts can be published.")
        return redirect("coop-supplier", org=org, supplier=supplier)


class CoopSupplierSendBackView(CoopSupplierMixin, View):
    def post(self, request, org, supplier):
        profile = self.get_supplier()
        form = SendBackForm(request.POST)
        if form.is_valid():
            try:
                services.supplier_send_back(
                    supplier=profile,
                    cooperative=self.organization,
                    actor=request.user,
                    comments=form.cleaned_data["comments"],
                )
            except ApplicationError as exc:
                if exc.fields:
                    form.add_service_error(exc)
                else:
                    messages.error(request, exc.message)
                    return redirect("coop-supplier", org=org, supplier=supplier)
            else:
                messages.success(request, f"Sent back to {profile.organization.name} with your comments.")
                return redirect("coop-supplier", org=org, supplier=supplier)
        return self.supplier_page(send_back_form=form, status=400)


class CoopDocumentReviewView(CoopSupplierMixin, View):
    """POST decision=verify, or decision=reject with a comment."""

    def post(self, request, org, supplier, supplier_document_id):
        profile = self.get_supplier()
        document = selectors.supplier_document_get(supplier=profile.organization, document_id=supplier_document_id)
        decision = request.POST.get("decision")
        if decision not in ("verify", "reject"):
            messages.error(request, "Choose whether to verify or reject the document.")
            return redirect("coop-supplier", org=org, supplier=supplier)
        try:
            services.supplier_document_review(
                document=document,
                cooperative=self.organization,
                actor=request.user,
                verify=decision == "verify",
                comment=request.POST.get("comment", ""),
            )
        except ApplicationError as exc:
            messages.error(request, next(iter(exc.fields.values()))[0] if exc.fields else exc.message)
        else:
            messages.success(request, f"{document} {'verified' if decision == 'verify' else 'rejected'}.")
        return redirect(reverse("coop-supplier", kwargs={"org": org, "supplier": supplier}) + "#documents")


class CoopDocumentDownloadView(CoopSupplierMixin, View):
    def get(self, request, org, supplier, supplier_document_id):
        profile = self.get_supplier()
        return _download(
            selectors.supplier_document_get(supplier=profile.organization, document_id=supplier_document_id)
        )
