"""Co-op staff pages for price-change requests (increases wait for their approval)."""

from django.urls import path

from contracts.catalog.views import coop as views

urlpatterns = [
    path("<slug:org>/price-changes/", views.PriceChangeListView.as_view(), name="coop-price-changes"),
    path(
        "<slug:org>/price-changes/<int:change_id>/approve/",
        views.PriceChangeApproveView.as_view(),
        name="coop-price-change-approve",
    ),
    path(
        "<slug:org>/price-changes/<int:change_id>/reject/",
        views.PriceChangeRejectView.as_view(),
        name="coop-price-change-reject",
    ),
]
