"""Agency set-up API: input serializers parse types only (the services validate and name the field at fault);
output serializers say what a client gets back."""

from __future__ import annotations

from rest_framework import serializers

from agencies.models import ApprovalRule, Department, Facility, FundCode, MemberDefaults, TaxExemptionCertificate
from agencies.setup.services import AGENCY_ROLES

# --- departments -----------------------------------------------------------------------------------------


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "code", "is_active"]


class DepartmentInputSerializer(serializers.Serializer):
    name = serializers.CharField(trim_whitespace=False)
    code = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    is_active = serializers.BooleanField(required=False, help_text="false deactivates, true reactivates")


# --- facilities ------------------------------------------------------------------------------------------


class SetupFacilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Facility
        fields = [
            "id",
            "name",
            "address",
            "city",
            "state",
            "postal_code",
            "contact_name",
            "contact_phone",
            "delivery_notes",
            "latitude",
            "longitude",
            "is_active",
        ]


class FacilityInputSerializer(serializers.Serializer):
    name = serializers.CharField(trim_whitespace=False)
    address = serializers.CharField(trim_whitespace=False)
    city = serializers.CharField(trim_whitespace=False)
    state = serializers.CharField(help_text="Two-letter U.S. state code")
    postal_code = serializers.CharField(help_text="ZIP or ZIP+4")
    contact_name = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    contact_phone = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    delivery_notes = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    latitude = serializers.DecimalField(
        max_digits=12, decimal_places=6, required=False, allow_null=True, help_text="−90 to 90"
    )
    longitude = serializers.DecimalField(
        max_digits=12, decimal_places=6, required=False, allow_null=True, help_text="−180 to 180"
    )
    is_active = serializers.BooleanField(required=False, help_text="false deactivates, true reactivates")


# --- fund codes ------------------------------------------------------------------------------------------


class FundCodeSerializer(serializers.ModelSerializer):
    department = serializers.IntegerField(source="department_id", allow_null=True)
    department_name = serializers.SerializerMethodField()

    class Meta:
        model = FundCode
        fields = ["id", "code", "description", "department", "department_name", "is_active"]

    def get_department_name(self, obj) -> str | None:
        return obj.department.name if obj.department_id else None


class FundCodeInputSerializer(serializers.Serializer):
    code = serializers.CharField(trim_whitespace=False)
    description = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    department = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id of one of this agency's departments; null for any"
    )
    is_active = serializers.BooleanField(required=False, help_text="false deactivates, true reactivates")


# --- approval rules --------------------------------------------------------------------------------------


class ApprovalRuleSerializer(serializers.ModelSerializer):
    category = serializers.IntegerField(source="category_id", allow_null=True)
    category_path = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalRule
        fields = [
            "id",
            "name",
            "min_amount",
            "approvals_required",
            "approver_role",
            "category",
            "category_path",
            "is_emergency",
            "is_active",
        ]

    def get_category_path(self, obj) -> str | None:
        return obj.category.path if obj.category_id else None


class ApprovalRuleInputSerializer(serializers.Serializer):
    name = serializers.CharField(trim_whitespace=False)
    min_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Requisition total (USD) from which the rule applies; ≥ 0"
    )
    approvals_required = serializers.IntegerField(help_text="0 to 5; 0 means approved at once")
    approver_role = serializers.ChoiceField(choices=sorted(AGENCY_ROLES), required=False)
    category = serializers.IntegerField(required=False, allow_null=True, help_text="Category id; null for every")
    is_emergency = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False, help_text="false deactivates, true reactivates")


# --- tax-exemption certificates --------------------------------------------------------------------------


class TaxCertificateSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.EmailField(source="uploaded_by.email", allow_null=True, read_only=True)
    is_valid = serializers.SerializerMethodField(help_text="Not withdrawn and not expired today")

    class Meta:
        model = TaxExemptionCertificate
        fields = [
            "id",
            "state",
            "number",
            "expires_on",
            "original_name",
            "sha256",
            "page_count",
            "size_bytes",
            "uploaded_by",
            "uploaded_at",
            "removed_at",
            "is_valid",
        ]

    def get_is_valid(self, obj) -> bool:
        today = self.context["today"]
        return obj.removed_at is None and (obj.expires_on is None or obj.expires_on >= today)


class TaxCertificateUploadSerializer(serializers.Serializer):
    state = serializers.CharField(help_text="Two-letter U.S. state code")
    number = serializers.CharField(trim_whitespace=False)
    expires_on = serializers.DateField(required=False, allow_null=True, help_text="Empty if it does not expire")
    file = serializers.FileField(help_text="The certificate as PDF (checked by content)")


# --- member defaults -------------------------------------------------------------------------------------


class MemberDefaultsSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id")
    email = serializers.EmailField(source="user.email")
    facility = serializers.IntegerField(source="facility_id", allow_null=True)
    facility_name = serializers.SerializerMethodField()
    fund_code = serializers.IntegerField(source="fund_code_id", allow_null=True)
    fund_code_code = serializers.SerializerMethodField()

    class Meta:
        model = MemberDefaults
        fields = ["user", "email", "facility", "facility_name", "fund_code", "fund_code_code"]

    def get_facility_name(self, obj) -> str | None:
        return obj.facility.name if obj.facility_id else None

    def get_fund_code_code(self, obj) -> str | None:
        return obj.fund_code.code if obj.fund_code_id else None


class MemberDefaultsInputSerializer(serializers.Serializer):
    facility = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="An active facility of this agency; null clears"
    )
    fund_code = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="An active fund code of this agency; null clears"
    )
