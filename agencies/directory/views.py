"""The member directory for co-op staff (`/coops/<org>/members/`): member agencies and contract suppliers with
their status, agreement, active users, last sign-in and insurance expiry; filters, pages of 50, CSV export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.views import View

from agencies.directory import selectors
from agencies.directory.export import EXPORT_MAX, directory_csv_response
from agencies.directory.filters import MemberDirectoryFilter
from marketplace.core.dates import organization_today
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind
from marketplace.core.tenancy import OrganizationViewMixin

ROWS_PER_PAGE = 50


class DirectoryMixin(OrganizationViewMixin):
    organization_kind = OrgKind.COOPERATIVE
    required_roles = COOP_STAFF_ROLES

    def filters(self) -> MemberDirectoryFilter:
        return MemberDirectoryFilter(self.request.GET, request=self.request, organization=self.organization)


class MemberDirectoryView(DirectoryMixin, View):
    def get(self, request, org):
        filters = self.filters()
        rows = selectors.member_directory(cooperative=self.organization, filters=filters)
        page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            "form": filters.form,
            "page_obj": page,
            "rows": selectors.directory_rows(page.object_list, cooperative=self.organization),
            "filtered": filters.active,
            "export_query": request.GET.urlencode(),
            "today": organization_today(self.organization),
        }
        return self.render_page("agencies/directory/list.html", context, status=400 if filters.errors else 200)


class MemberDirectoryExportView(DirectoryMixin, View):
    def get(self, request, org):
        rows = selectors.member_directory(cooperative=self.organization, filters=self.filters())
        rows = selectors.directory_rows(rows[: EXPORT_MAX + 1], cooperative=self.organization)
        return directory_csv_response(rows, filename=f"{self.organization.slug}-members.csv")
