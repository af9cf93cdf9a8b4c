from django.urls import path

from marketplace.core.views import SUPPLIER_AUDIT, SUPPLIER_AUDIT_EXPORT

urlpatterns = [
    path("<slug:org>/audit/", SUPPLIER_AUDIT, name="supplier-audit"),
    path("<slug:org>/audit/export.csv", SUPPLIER_AUDIT_EXPORT, name="supplier-audit-export"),
]
