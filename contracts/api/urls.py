from django.urls import path

from .views import CoopDetailView

urlpatterns = [path("coops/<slug:org>/", CoopDetailView.as_view(), name="api-coop-detail")]
