from django.contrib import admin

from agencies.models import Agency, Facility

admin.site.register(Agency, list_display=["organization", "agency_type", "state", "population"])
admin.site.register(Facility, list_display=["name", "agency", "city", "state"])
