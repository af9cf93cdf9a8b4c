from django.contrib import admin

from agencies.models import Agency, AgreementAcceptance, AgreementVersion, Facility

admin.site.register(Agency, list_display=["organization", "agency_type", "state", "population"])
admin.site.register(Facility, list_display=["name", "agency", "city", "state"])


class ReadOnlyAdmin(admin.ModelAdmin):
    """Agreement versions are immutable (a database trigger refuses changes) and acceptances are signed records:
    operators may read them, never edit them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "label", "title", "effective_on", "reaccept_by", "published_at"]
    list_select_related = ["cooperative"]


@admin.register(AgreementAcceptance)
class AgreementAcceptanceAdmin(ReadOnlyAdmin):
    list_display = ["agency", "cooperative", "version", "signer_name", "signed_on", "pdf_status"]
    list_select_related = ["agency", "cooperative", "version"]
