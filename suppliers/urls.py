from django.urls import path

from marketplace.core.views import SUPPLIER_AUDIT

from . import views

urlpatterns = [
    path("<slug:org>/", views.SupplierHomeView.as_view(), name="supplier-home"),
    path("<slug:org>/audit/", SUPPLIER_AUDIT, name="supplier-audit"),
]
