"""A supplier's home page: /suppliers/<org>/ (see contracts/views/supplier.py for why it lives here)."""

from django.urls import path

from contracts.views.supplier import SupplierHomeView

urlpatterns = [path("<slug:org>/", SupplierHomeView.as_view(), name="supplier-home")]
