from django.contrib import admin

from contracts.models import CompliancePacket, Contract, ContractDocument


class ContractDocumentInline(admin.TabularInline):
    """Read-only here: documents are uploaded through the co-op pages (content checks, audit)."""

    model = ContractDocument
    extra = 0
    can_delete = False
    fields = ["kind", "title", "original_name", "page_count", "size_bytes", "is_public", "uploaded_at", "removed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "cooperative", "supplier", "status", "term_end"]
    list_filter = ["status", "cooperative"]
    search_fields = ["number", "title"]
    filter_horizontal = ["available_to"]
    readonly_fields = ["status"]  # status moves only through contract_transition (audited)
    inlines = [ContractDocumentInline]


@admin.register(ContractDocument)
class ContractDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "contract", "page_count", "is_public", "uploaded_at", "removed_at"]
    list_filter = ["kind", "is_public"]
    search_fields = ["title", "contract__number", "sha256"]
    readonly_fields = [f.name for f in ContractDocument._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # withdrawn, never deleted


@admin.register(CompliancePacket)
class CompliancePacketAdmin(admin.ModelAdmin):
    list_display = ["contract", "status", "created_at", "built_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in CompliancePacket._meta.fields]

    def has_add_permission(self, request):
        return False
