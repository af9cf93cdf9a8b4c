from django.contrib import admin

from .models import Contract


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "cooperative", "supplier", "status", "term_end"]
    list_filter = ["status", "cooperative"]
    search_fields = ["number", "title"]
    filter_horizontal = ["available_to"]
