"""Agency set-up pages: /agencies/<org>/setup/… (agency admins), plus a member's own defaults and certificate
downloads (any member)."""

from django.urls import path

from agencies.setup import views

urlpatterns = [
    path("<slug:org>/setup/", views.SetupHomeView.as_view(), name="agency-setup"),
    # departments
    path("<slug:org>/setup/departments/", views.DepartmentListView.as_view(), name="agency-setup-departments"),
    path("<slug:org>/setup/departments/new/", views.DepartmentCreateView.as_view(), name="agency-setup-department-new"),
    path(
        "<slug:org>/setup/departments/<int:department_id>/",
        views.DepartmentEditView.as_view(),
        name="agency-setup-department-edit",
    ),
    path(
        "<slug:org>/setup/departments/<int:department_id>/active/",
        views.DepartmentActiveView.as_view(),
        name="agency-setup-department-active",
    ),
    # facilities
    path("<slug:org>/setup/facilities/", views.FacilityListView.as_view(), name="agency-setup-facilities"),
    path("<slug:org>/setup/facilities/new/", views.FacilityCreateView.as_view(), name="agency-setup-facility-new"),
    path(
        "<slug:org>/setup/facilities/<int:facility_id>/",
        views.FacilityEditView.as_view(),
        name="agency-setup-facility-edit",
    ),
    path(
        "<slug:org>/setup/facilities/<int:facility_id>/active/",
        views.FacilityActiveView.as_view(),
        name="agency-setup-facility-active",
    ),
    # fund codes
    path("<slug:org>/setup/fund-codes/", views.FundCodeListView.as_view(), name="agency-setup-fund-codes"),
    path("<slug:org>/setup/fund-codes/new/", views.FundCodeCreateView.as_view(), name="agency-setup-fund-code-new"),
    path(
        "<slug:org>/setup/fund-codes/<int:fund_code_id>/",
        views.FundCodeEditView.as_view(),
        name="agency-setup-fund-code-edit",
    ),
    path(
        "<slug:org>/setup/fund-codes/<int:fund_code_id>/active/",
        views.FundCodeActiveView.as_view(),
        name="agency-setup-fund-code-active",
    ),
    # approval rules
    path("<slug:org>/setup/approval-rules/", views.ApprovalRuleListView.as_view(), name="agency-setup-approval-rules"),
    path(
        "<slug:org>/setup/approval-rules/new/",
        views.ApprovalRuleCreateView.as_view(),
        name="agency-setup-approval-rule-new",
    ),
    path(
        "<slug:org>/setup/approval-rules/<int:rule_id>/",
        views.ApprovalRuleEditView.as_view(),
        name="agency-setup-approval-rule-edit",
    ),
    path(
        "<slug:org>/setup/approval-rules/<int:rule_id>/active/",
        views.ApprovalRuleActiveView.as_view(),
        name="agency-setup-approval-rule-active",
    ),
    # tax-exemption certificates
    path(
        "<slug:org>/setup/tax-certificates/",
        views.TaxCertificateListView.as_view(),
        name="agency-setup-tax-certificates",
    ),
    path(
        "<slug:org>/setup/tax-certificates/<int:certificate_id>/withdraw/",
        views.TaxCertificateWithdrawView.as_view(),
        name="agency-setup-tax-certificate-withdraw",
    ),
    path(
        "<slug:org>/setup/tax-certificates/<int:certificate_id>/download/",
        views.TaxCertificateDownloadView.as_view(),
        name="agency-setup-tax-certificate-download",
    ),
    # members' ordering defaults
    path("<slug:org>/setup/members/", views.MemberDefaultsListView.as_view(), name="agency-setup-members"),
    path(
        "<slug:org>/setup/members/<int:user_id>/",
        views.MemberDefaultsEditView.as_view(),
        name="agency-setup-member-defaults",
    ),
    path("<slug:org>/setup/my-defaults/", views.MyDefaultsView.as_view(), name="agency-my-defaults"),
]
