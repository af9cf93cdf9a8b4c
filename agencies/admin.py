from django.contrib import admin

from agencies.models import Agency, Facility, JoinApplication

admin.site.register(Agency, list_display=["organization", "agency_type", "state", "population"])
admin.site.register(Facility, list_display=["name", "agency", "city", "state"])


@admin.register(JoinApplication)
class JoinApplicationAdmin(admin.ModelAdmin):
    """Operators may look; decisions go through the co-op's review pages (they lock, audit and invite)."""

    list_display = ["legal_name", "cooperative", "agency_type", "state", "email_domain", "status", "submitted_at"]
    list_filter = ["status", "agency_type"]
    search_fields = ["legal_name", "email_domain", "contact_email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
