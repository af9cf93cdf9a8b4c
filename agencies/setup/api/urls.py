"""Agency set-up API: /api/v1/agencies/<org>/…"""

from django.urls import path

from agencies.setup.api import views

P = "agencies/<slug:org>/"

urlpatterns = [
    path(P + "departments/", views.DepartmentListAPIView.as_view(), name="api-agency-departments"),
    path(P + "departments/<int:department_id>/", views.DepartmentDetailAPIView.as_view(), name="api-agency-department"),
    path(P + "facilities/", views.FacilityListAPIView.as_view(), name="api-agency-facilities"),
    path(P + "facilities/<int:facility_id>/", views.FacilityDetailAPIView.as_view(), name="api-agency-facility"),
    path(P + "fund-codes/", views.FundCodeListAPIView.as_view(), name="api-agency-fund-codes"),
    path(P + "fund-codes/<int:fund_code_id>/", views.FundCodeDetailAPIView.as_view(), name="api-agency-fund-code"),
    path(P + "approval-rules/", views.ApprovalRuleListAPIView.as_view(), name="api-agency-approval-rules"),
    path(
        P + "approval-rules/<int:rule_id>/", views.ApprovalRuleDetailAPIView.as_view(), name="api-agency-approval-rule"
    ),
    path(P + "tax-certificates/", views.TaxCertificateListAPIView.as_view(), name="api-agency-tax-certificates"),
    path(
        P + "tax-certificates/<int:certificate_id>/withdraw/",
        views.TaxCertificateWithdrawAPIView.as_view(),
        name="api-agency-tax-certificate-withdraw",
    ),
    path(
        P + "members/<int:user_id>/defaults/", views.MemberDefaultsAPIView.as_view(), name="api-agency-member-defaults"
    ),
    path(P + "me/defaults/", views.MyDefaultsAPIView.as_view(), name="api-agency-my-defaults"),
]
