from django.contrib import admin

from agencies.models import Agency, AgreementAcceptance, AgreementVersion, Facility, JoinApplication

admin.site.register(Agency, list_display=["organization", "agency_type", "state", "population"])
admin.site.register(Facility, list_display=["name", "agency", "city", "state"])


class ReadOnlyAdmin(admin.ModelAdmin):
    """Operators may read these rows, never change them here: agreement versions are immutable (a database trigger
    refuses changes), acceptances are signed records, and application decisions go through the co-op's review pages
    (they lock, audit and invite)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JoinApplication)
class JoinApplicationAdmin(ReadOnlyAdmin):
    list_display = ["legal_name", "cooperative", "agency_type", "state", "email_domain", "status", "submitted_at"]
    list_filter = ["status", "agency_type"]
    search_fields = ["legal_name", "email_domain", "contact_email"]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "label", "title", "effective_on", "reaccept_by", "published_at"]
    list_select_related = ["cooperative"]


@admin.register(AgreementAcceptance)
class AgreementAcceptanceAdmin(ReadOnlyAdmin):
    list_display = ["agency", "cooperative", "version", "signer_name", "signed_on", "pdf_status"]
    list_select_related = ["agency", "cooperative", "version"]
