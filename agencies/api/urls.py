from django.urls import path

from agencies.api import views

urlpatterns = [
    path("agencies/<slug:org>/", views.AgencyDetailView.as_view(), name="api-agency-detail"),
    path("agencies/<slug:org>/catalog/items/", views.CatalogSearchAPIView.as_view(), name="api-catalog-search"),
    path("agencies/<slug:org>/catalog/items/<int:pk>/", views.CatalogItemAPIView.as_view(), name="api-catalog-item"),
    path("coops/<slug:org>/", views.CoopDetailView.as_view(), name="api-coop-detail"),
]
