from django.urls import path

from orders.approvals.api import views

urlpatterns = [
    path("agencies/<slug:org>/approvals/", views.ApprovalQueueAPIView.as_view(), name="api-agency-approvals"),
    path(
        "agencies/<slug:org>/orders/<uuid:requisition>/approve/",
        views.ApproveAPIView.as_view(),
        name="api-agency-order-approve",
    ),
    path(
        "agencies/<slug:org>/orders/<uuid:requisition>/reject/",
        views.RejectAPIView.as_view(),
        name="api-agency-order-reject",
    ),
]
