"""Onboarding pages.

Public (no sign-in): the join application of a cooperative (`/coops/<coop>/join/`), the applicant's status page
behind its secret link (`/join/status/<token>/`, where they answer requests for more information) and the e-mail
confirmation (`…/confirm/<code>/`). Co-op staff: the review queue and an application's page with its actions, and
the bulk member import."""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from agencies.models import ApplicationStatus
from agencies.onboarding import selectors, services
from agencies.onboarding.filters import ApplicationFilter
from agencies.onboarding.forms import (
    JoinApplicationForm,
    MemberImportForm,
    RejectForm,
    ReplyForm,
    RequestInfoForm,
)
from agencies.onboarding.imports import (
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    MemberImportRejected,
    member_import_apply,
    template_csv,
)
from marketplace.core.context import client_ip
from marketplace.core.errors import ApplicationError
from marketplace.core.models import Organization
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind
from marketplace.core.tenancy import OrganizationViewMixin


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def public_cooperative_get(slug: str) -> Organization:
    cooperative = Organization.objects.filter(kind=OrgKind.COOPERATIVE, slug=slug, is_active=True).first()
    if cooperative is None:
        raise Http404("No such cooperative.")
    return cooperative


# --- public ------------------------------------------------------------------------------------------------------


class JoinView(View):
    def render_form(self, form, cooperative, status=200):
        return render(
            self.request, "agencies/onboarding/join.html", {"form": form, "cooperative": cooperative}, status=status
        )

    def get(self, request, coop):
        cooperative = public_cooperative_get(coop)
        return self.render_form(JoinApplicationForm(), cooperative)

    def post(self, request, coop):
        cooperative = public_cooperative_get(coop)
        form = JoinApplicationForm(request.POST, request.FILES)
        status = 400
        try:
            if form.is_valid():
                application = services.application_submit(
                    cooperative=cooperative,
                    data=form.to_data(),
                    evidence=form.cleaned_data["evidence"],
                    honeypot=form.cleaned_data["fax_extension"],
                )
                messages.success(
                    request,
                    "Application received. Keep this page's address (it is also in the e-mail we sent): it is how "
                    "you follow the review.",
                )
                return redirect("join-status", token=services.status_token(application))
            services.join_attempt_check(ip=client_ip.get())  # a refused form counts as an attempt too
        except ApplicationError as exc:
            form.add_service_error(exc)
            status = exc.status_code
        return self.render_form(form, cooperative, status=status)


def _application_or_404(token: str):
    application = services.application_by_token(token=token)
    if application is None:
        raise Http404("This link is not valid.")
    return application


@method_decorator(never_cache, name="dispatch")  # a secret page: no shared cache keeps it
class StatusView(View):
    """The applicant's page: status, the message thread, and the answer form while the co-op waits for one."""

    def render_page(self, application, form=None, status=200):
        context = {
            "application": application,
            "cooperative": application.cooperative,
            "thread": selectors.application_messages(application=application),
            "form": form or ReplyForm(),
            "Status": ApplicationStatus,
        }
        # times in the cooperative's zone (the zone is printed beside them)
        with timezone.override(_zone(application.cooperative.time_zone)):
            return render(self.request, "agencies/onboarding/status.html", context, status=status)

    def get(self, request, token):
        return self.render_page(_application_or_404(token))

    def post(self, request, token):
        application = _application_or_404(token)
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.application_reply(
                    application=application,
                    message=form.cleaned_data["message"],
                    attachment=form.cleaned_data["attachment"],
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Thank you: your answer was sent to the cooperative's staff.")
                return redirect("join-status", token=token)
        application.refresh_from_db()
        return self.render_page(application, form, status=400)


class ResendView(View):
    """POST: send the confirmation link again (while the address is not confirmed)."""

    def post(self, request, token):
        application = _application_or_404(token)
        try:
            services.application_confirmation_resend(application=application)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"We sent a new confirmation link to {application.contact_email}.")
        return redirect("join-status", token=token)


@method_decorator(never_cache, name="dispatch")
class ConfirmView(View):
    """GET shows a button (mail scanners that follow links do not confirm); POST confirms."""

    def get(self, request, token, code):
        application = _application_or_404(token)
        if application.status != ApplicationStatus.SUBMITTED:
            return redirect("join-status", token=token)
        return render(request, "agencies/onboarding/confirm.html", {"application": application})

    def post(self, request, token, code):
        application = _application_or_404(token)
        try:
            services.application_confirm(token=token, code=code)
        except ApplicationError as exc:
            return render(
                request,
                "agencies/onboarding/confirm.html",
                {"application": application, "error": exc.message},
                status=exc.status_code,
            )
        messages.success(request, "Your e-mail address is confirmed: the application is with the cooperative's staff.")
        return redirect("join-status", token=token)


# --- co-op staff -------------------------------------------------------------------------------------------------


class StaffMixin(OrganizationViewMixin):
    organization_kind = OrgKind.COOPERATIVE
    required_roles = COOP_STAFF_ROLES

    def get_application(self):
        return selectors.application_get(cooperative=self.organization, application_id=self.kwargs["application_id"])


class QueueView(StaffMixin, View):
    def get(self, request, org):
        filters = ApplicationFilter(request.GET, organization=self.organization)
        page = Paginator(selectors.application_list(cooperative=self.organization, filters=filters), 50).get_page(
            request.GET.get("page")
        )
        return self.render_page(
            "agencies/onboarding/queue.html",
            {"page_obj": page, "applications": page.object_list, "form": filters.form},
            status=400 if filters.errors else 200,
        )


class DetailView(StaffMixin, View):
    def render_detail(self, application, *, info_form=None, reject_form=None, status=200):
        return self.render_page(
            "agencies/onboarding/detail.html",
            {
                "application": application,
                "thread": selectors.application_messages(application=application),
                "duplicates": selectors.application_duplicates(application=application),
                "hints": selectors.application_hints(application=application),
                "info_form": info_form or RequestInfoForm(),
                "reject_form": reject_form or RejectForm(),
                "Status": ApplicationStatus,
                "decidable": application.status in (ApplicationStatus.PENDING, ApplicationStatus.INFO_REQUESTED),
            },
            status=status,
        )

    def get(self, request, org, application_id):
        return self.render_detail(self.get_application())


class _Action(DetailView):
    """POST an action on one application; back to its page with a message (a refused form is shown again)."""

    form_class: type | None = None
    form_kwarg = ""

    def act(self, application, form) -> str:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        return self.http_method_not_allowed(request, *args, **kwargs)

    def post(self, request, org, application_id):
        application = self.get_application()
        form = self.form_class(request.POST) if self.form_class else None
        if form is not None and not form.is_valid():
            return self.render_detail(application, **{self.form_kwarg: form}, status=400)
        try:
            message = self.act(application, form)
        except ApplicationError as exc:
            if form is not None and exc.fields:
                form.add_service_error(exc)
                return self.render_detail(self.get_application(), **{self.form_kwarg: form}, status=400)
            messages.error(request, exc.message)
        else:
            messages.success(request, message)
        return redirect("coop-application", org=org, application_id=application.public_id)


class ApproveView(_Action):
    def act(self, application, form):
        agency = services.application_approve(application=application, actor=self.request.user)
        return (
            f"Approved: {agency.name} is a member of {self.organization.name}, and "
            f"{application.contact_email} is invited as its administrator."
        )


class RequestInfoView(_Action):
    form_class, form_kwarg = RequestInfoForm, "info_form"

    def act(self, application, form):
        services.application_request_info(
            application=application, actor=self.request.user, message=form.cleaned_data["message"]
        )
        return f"Your question was e-mailed to {application.contact_email}. The application waits for their answer."


class RejectView(_Action):
    form_class, form_kwarg = RejectForm, "reject_form"

    def act(self, application, form):
        services.application_reject(
            application=application, actor=self.request.user, reason=form.cleaned_data["reason"]
        )
        return f"Rejected. The reason was e-mailed to {application.contact_email}."


class _StaffFile(StaffMixin, View):
    def send(self, field, name):
        try:
            handle = field.open("rb")
        except (FileNotFoundError, OSError, ValueError) as exc:
            raise Http404("The file is not available.") from exc
        return FileResponse(handle, as_attachment=True, filename=name or "document.pdf", content_type="application/pdf")


class EvidenceView(_StaffFile):
    def get(self, request, org, application_id):
        application = self.get_application()
        return self.send(application.evidence, application.evidence_name)


class AttachmentView(_StaffFile):
    def get(self, request, org, application_id, message_id):
        application = self.get_application()
        message = next((m for m in selectors.application_messages(application=application) if m.pk == message_id), None)
        if message is None or not message.attachment:
            raise Http404("No such attachment.")
        return self.send(message.attachment, message.attachment_name)


class MemberImportView(StaffMixin, View):
    def render_import(self, form, errors=None, status=200):
        return self.render_page(
            "agencies/onboarding/import.html",
            {"form": form, "errors": errors or [], "columns": COLUMNS, "max_rows": MAX_ROWS},
            status=status,
        )

    def get(self, request, org):
        return self.render_import(MemberImportForm())

    def post(self, request, org):
        form = MemberImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_import(form, status=400)
        upload = form.cleaned_data["file"]
        try:
            created = member_import_apply(
                cooperative=self.organization,
                data=upload.read(MAX_BYTES + 1),  # a larger file is refused without reading it all
                filename=upload.name or "members.csv",
                actor=request.user,
            )
        except MemberImportRejected as exc:
            return self.render_import(form, exc.errors, status=400)
        messages.success(
            request,
            f"{len(created)} agenc{'y' if len(created) == 1 else 'ies'} added as active members; their administrators "
            "are being e-mailed their invitations.",
        )
        return redirect(reverse("coop-home", kwargs={"org": org}))


class MemberImportTemplateView(StaffMixin, View):
    def get(self, request, org):
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="member-import-template.csv"'
        return response
