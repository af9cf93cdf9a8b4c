from django.urls import path

from marketplace.core.views import AGENCY_AUDIT

from . import views

urlpatterns = [
    path("<slug:org>/", views.AgencyHomeView.as_view(), name="agency-home"),
    path("<slug:org>/audit/", AGENCY_AUDIT, name="agency-audit"),
]
