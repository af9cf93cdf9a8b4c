from django.urls import path

from .views import AgencyDetailView

urlpatterns = [path("agencies/<slug:org>/", AgencyDetailView.as_view(), name="api-agency-detail")]
