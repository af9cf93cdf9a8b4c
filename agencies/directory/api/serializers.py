"""Member directory API rows (one shape for agencies and suppliers; fields of the other kind are null)."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.core.models import Organization
from marketplace.core.roles import OrgKind


class DirectoryRowSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        source="status_label", help_text="Membership status (agency) or vetting status (supplier)."
    )
    membership_status = serializers.CharField(allow_null=True, help_text="Agencies: applied, approved, active, lapsed.")
    vetting_status = serializers.SerializerMethodField(help_text="Suppliers: invited, submitted, verified, suspended.")
    agency_type = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    agreement = serializers.SerializerMethodField(help_text="Agencies: the agreement version accepted, or why not.")
    agreement_version = serializers.CharField(source="accepted_version_label", allow_null=True)
    agreement_signed_on = serializers.DateField(source="accepted_on", allow_null=True)
    active_users = serializers.IntegerField()
    last_sign_in = serializers.DateTimeField(allow_null=True)
    insurance_expires_on = serializers.SerializerMethodField()
    certification_expires_on = serializers.DateField(allow_null=True)
    contract_count = serializers.IntegerField()

    class Meta:
        model = Organization
        fields = [
            "kind",
            "name",
            "slug",
            "status",
            "membership_status",
            "vetting_status",
            "agency_type",
            "state",
            "agreement",
            "agreement_version",
            "agreement_signed_on",
            "active_users",
            "last_sign_in",
            "insurance_expires_on",
            "certification_expires_on",
            "contract_count",
        ]

    def _agency(self, obj):
        return getattr(obj, "agency_profile", None) if obj.kind == OrgKind.AGENCY else None

    def _supplier(self, obj):
        return getattr(obj, "supplier_profile", None) if obj.kind == OrgKind.SUPPLIER else None

    def get_vetting_status(self, obj) -> str | None:
        supplier = self._supplier(obj)
        return supplier.vetting_status if supplier else None

    def get_agency_type(self, obj) -> str | None:
        agency = self._agency(obj)
        return agency.agency_type if agency else None

    def get_state(self, obj) -> str | None:
        agency = self._agency(obj)
        return agency.state if agency else None

    def get_agreement(self, obj) -> str | None:
        return obj.agreement.text if obj.agreement else None

    def get_insurance_expires_on(self, obj) -> str | None:
        supplier = self._supplier(obj)
        return supplier.insurance_expires_on.isoformat() if supplier and supplier.insurance_expires_on else None
