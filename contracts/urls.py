from django.urls import path

from marketplace.core.views import COOP_AUDIT

from . import views

urlpatterns = [
    path("<slug:org>/", views.CoopHomeView.as_view(), name="coop-home"),
    path("<slug:org>/audit/", COOP_AUDIT, name="coop-audit"),
]
