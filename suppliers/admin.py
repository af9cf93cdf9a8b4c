from django.contrib import admin

from suppliers.models import StoreLocation, Supplier

admin.site.register(Supplier, list_display=["organization", "legal_name", "vetting_status"])
admin.site.register(StoreLocation, list_display=["name", "supplier", "city", "state", "locally_owned"])
