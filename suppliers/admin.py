from django.contrib import admin

from suppliers.models import StoreLocation, Supplier, SupplierDocument


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["organization", "legal_name", "vetting_status", "cooperative", "insurance_expires_on"]
    list_filter = ["vetting_status"]
    # the EIN is shown masked everywhere but the supplier admin's own edit field
    exclude = ["ein"]
    readonly_fields = ["ein_masked"]


admin.site.register(StoreLocation, list_display=["name", "supplier", "city", "state", "locally_owned"])
admin.site.register(
    SupplierDocument,
    list_display=["supplier", "kind", "status", "expires_on", "uploaded_at"],
    list_filter=["kind", "status"],
)
