"""Approver pages: /agencies/<org>/approvals/…"""

from django.urls import path

from orders.approvals import views

urlpatterns = [
    path("agencies/<slug:org>/approvals/", views.ApprovalQueueView.as_view(), name="agency-approvals"),
    path(
        "agencies/<slug:org>/approvals/<uuid:requisition>/approve/",
        views.ApprovalDecisionView.as_view(decision="approve"),
        name="agency-approval-approve",
    ),
    path(
        "agencies/<slug:org>/approvals/<uuid:requisition>/reject/",
        views.ApprovalDecisionView.as_view(decision="reject"),
        name="agency-approval-reject",
    ),
    path(
        "agencies/<slug:org>/approvals/link/<str:signed>/",
        views.ApprovalLinkView.as_view(),
        name="agency-approval-link",
    ),
]
