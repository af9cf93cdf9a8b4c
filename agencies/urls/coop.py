"""The co-op staff home page: /coops/<org>/ (see agencies/views/coop.py for why it lives here)."""

from django.urls import path

from agencies.views.coop import CoopHomeView

urlpatterns = [path("<slug:org>/", CoopHomeView.as_view(), name="coop-home")]
