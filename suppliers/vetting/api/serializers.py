"""Vetting API: input serializers parse types only (the services validate and name the field at fault); output
serializers say what a client gets back. The EIN is only ever returned masked."""

from __future__ import annotations

from rest_framework import serializers

from suppliers.models import StoreLocation, Supplier, VettingStatus
from suppliers.vetting.models import CertificationType, DocumentKind, DocumentStatus, SupplierDocument


class VettingProfileSerializer(serializers.ModelSerializer):
    supplier = serializers.CharField(source="organization.slug", read_only=True)
    name = serializers.CharField(source="organization.name", read_only=True)
    ein = serializers.CharField(source="ein_masked", read_only=True, help_text="Masked: **-***1234")
    vetting_status = serializers.ChoiceField(choices=VettingStatus.choices, read_only=True)
    changes_requested = serializers.BooleanField(read_only=True)
    vetted_by = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField(help_text="What the profile still lacks before it can be submitted")

    class Meta:
        model = Supplier
        fields = [
            "supplier",
            "name",
            "legal_name",
            "dba",
            "ein",
            "remit_to",
            "order_desk_email",
            "website",
            "phone",
            "vetting_status",
            "changes_requested",
            "vetting_comments",
            "suspension_reason",
            "insurance_expires_on",
            "submitted_at",
            "verified_at",
            "vetted_by",
            "missing",
        ]

    def get_vetted_by(self, obj) -> str | None:
        return obj.cooperative.slug if obj.cooperative_id else None

    def get_missing(self, obj) -> list[str]:
        return self.context.get("missing", [])


class VettingProfileInputSerializer(serializers.Serializer):
    legal_name = serializers.CharField(required=False, trim_whitespace=False)
    dba = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    ein = serializers.CharField(required=False, allow_blank=True, help_text="NN-NNNNNNN")
    remit_to = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    order_desk_email = serializers.CharField(required=False, allow_blank=True)
    website = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)


class SupplierDocumentSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    status = serializers.ChoiceField(choices=DocumentStatus.choices)
    certification_type = serializers.ChoiceField(choices=[("", ""), *CertificationType.choices])

    class Meta:
        model = SupplierDocument
        fields = [
            "id",
            "kind",
            "status",
            "original_name",
            "sha256",
            "size_bytes",
            "page_count",
            "effective_on",
            "expires_on",
            "general_liability",
            "auto_liability",
            "workers_comp",
            "certification_type",
            "issuer",
            "number",
            "review_comment",
            "uploaded_at",
            "reviewed_at",
        ]


class SupplierDocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(required=False, help_text="PDF; required for a W-9 and a certificate of insurance")
    general_liability = serializers.CharField(required=False, help_text="Certificate of insurance: USD")
    auto_liability = serializers.CharField(required=False, help_text="Certificate of insurance: USD")
    workers_comp = serializers.CharField(required=False, help_text="Certificate of insurance: USD")
    effective_on = serializers.DateField(required=False)
    expires_on = serializers.DateField(required=False)
    certification_type = serializers.ChoiceField(choices=CertificationType.choices, required=False)
    issuer = serializers.CharField(required=False, allow_blank=True)
    number = serializers.CharField(required=False, allow_blank=True)


class VettingStoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = StoreLocation
        fields = [
            "id",
            "name",
            "owner_name",
            "locally_owned",
            "address",
            "city",
            "state",
            "postal_code",
            "phone",
            "email",
            "latitude",
            "longitude",
            "service_radius_miles",
            "is_active",
        ]


class VettingStoreInputSerializer(serializers.Serializer):
    name = serializers.CharField(trim_whitespace=False)
    owner_name = serializers.CharField(required=False, allow_blank=True)
    locally_owned = serializers.BooleanField(required=False, default=True)
    address = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField(help_text="Two-letter U.S. state code")
    postal_code = serializers.CharField(help_text="ZIP or ZIP+4; without coordinates the ZIP's centre is used")
    phone = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    latitude = serializers.DecimalField(max_digits=12, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=12, decimal_places=6, required=False, allow_null=True)
    service_radius_miles = serializers.IntegerField(required=False, help_text="1 to 500")
    is_active = serializers.BooleanField(required=False, default=True)


class CoopSupplierSerializer(serializers.ModelSerializer):
    supplier = serializers.CharField(source="organization.slug")
    name = serializers.CharField(source="organization.name")
    vetting_status = serializers.ChoiceField(choices=VettingStatus.choices)
    changes_requested = serializers.BooleanField()
    ein = serializers.CharField(source="ein_masked", help_text="Masked: **-***1234")
    pending_documents = serializers.IntegerField(help_text="Documents waiting for review")
    vetted_by = serializers.SerializerMethodField()

    class Meta:
        model = Supplier
        fields = [
            "supplier",
            "name",
            "legal_name",
            "dba",
            "ein",
            "vetting_status",
            "changes_requested",
            "vetting_comments",
            "suspension_reason",
            "insurance_expires_on",
            "pending_documents",
            "vetted_by",
        ]

    def get_vetted_by(self, obj) -> str | None:
        return obj.cooperative.slug if obj.cooperative_id else None


class CoopSupplierDetailSerializer(serializers.Serializer):
    profile = CoopSupplierSerializer()
    documents = SupplierDocumentSerializer(many=True)
    stores = VettingStoreSerializer(many=True)


class SupplierInviteSerializer(serializers.Serializer):
    name = serializers.CharField(trim_whitespace=False)
    legal_name = serializers.CharField(required=False, allow_blank=True)
    admin_email = serializers.CharField(help_text="Invited as supplier admin")
    message = serializers.CharField(required=False, allow_blank=True)


class SupplierInvitedSerializer(serializers.Serializer):
    supplier = CoopSupplierSerializer()
    invitation_email = serializers.EmailField()
    invitation_expires_at = serializers.DateTimeField()


class SendBackSerializer(serializers.Serializer):
    comments = serializers.CharField(trim_whitespace=False)
