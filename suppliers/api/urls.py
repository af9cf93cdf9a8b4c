from django.urls import path

from suppliers.api.views import SupplierDetailView

urlpatterns = [path("suppliers/<slug:org>/", SupplierDetailView.as_view(), name="api-supplier-detail")]
