from django.urls import path

from marketplace.core.views import SUPPLIER_AUDIT

urlpatterns = [path("<slug:org>/audit/", SUPPLIER_AUDIT, name="supplier-audit")]
