"""Onboarding API serializers: the public application (multipart) and its status, staff's view of an application
with duplicates and hints, the decisions, and the member import's answer."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from agencies.models import AgencyType, ApplicationMessage, ApplicationStatus, JoinApplication
from agencies.onboarding.services import TEXT_MAX, status_token, status_url


class JoinApplicationCreateSerializer(serializers.Serializer):
    """Every field is checked by the service (the same rules and messages as the web form)."""

    legal_name = serializers.CharField(max_length=200, trim_whitespace=False)
    agency_type = serializers.ChoiceField(choices=AgencyType.choices)
    state = serializers.CharField(max_length=2, help_text="Two-letter U.S. state code")
    county = serializers.CharField(max_length=100, required=False, allow_blank=True)
    population = serializers.CharField(max_length=15, required=False, allow_blank=True)
    website = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email_domain = serializers.CharField(max_length=100, help_text="e.g. mapleridge.gov")
    contact_name = serializers.CharField(max_length=150)
    contact_title = serializers.CharField(max_length=150)
    contact_email = serializers.CharField(max_length=254, help_text="Receives the confirmation link")
    contact_phone = serializers.CharField(max_length=40)
    signer_name = serializers.CharField(max_length=150)
    signer_title = serializers.CharField(max_length=150)
    signer_email = serializers.CharField(max_length=254)
    evidence = serializers.FileField(help_text="Evidence of public-entity status, PDF (checked by content, 20 MB)")
    fax_extension = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Anti-spam field: always leave empty"
    )


class JoinApplicationCreatedSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    status_url = serializers.URLField(help_text="The applicant's secret status page (also e-mailed)")
    status_api_url = serializers.URLField(
        help_text="The same status in the API (`GET`), with `confirm/` and `replies/` below it; keep it secret"
    )
    confirmation_sent_to = serializers.EmailField()


class JoinMessageSerializer(serializers.ModelSerializer):
    has_attachment = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationMessage
        fields = ["id", "author_kind", "body", "attachment_name", "has_attachment", "created_at"]

    def get_has_attachment(self, obj) -> bool:
        return bool(obj.attachment)


class JoinApplicationStatusSerializer(serializers.ModelSerializer):
    """What the applicant sees on the status page."""

    cooperative = serializers.CharField(source="cooperative.name")
    status_label = serializers.CharField(source="get_status_display")
    messages = serializers.SerializerMethodField()

    class Meta:
        model = JoinApplication
        fields = [
            "legal_name",
            "cooperative",
            "status",
            "status_label",
            "submitted_at",
            "confirmed_at",
            "decided_at",
            "rejection_reason",
            "messages",
        ]

    def get_messages(self, obj) -> list[dict]:
        return JoinMessageSerializer(self.context["thread"], many=True).data


class JoinReplySerializer(serializers.Serializer):
    message = serializers.CharField(max_length=TEXT_MAX, trim_whitespace=False)
    attachment = serializers.FileField(required=False, allow_null=True, help_text="Optional PDF")


class JoinConfirmSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=200, help_text="The code from the confirmation link")


class JoinApplicationSerializer(serializers.ModelSerializer):
    """Staff's view of an application."""

    id = serializers.UUIDField(source="public_id")
    decided_by = serializers.EmailField(source="decided_by.email", allow_null=True, read_only=True)
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = JoinApplication
        fields = [
            "id",
            "legal_name",
            "agency_type",
            "state",
            "county",
            "county_fips",
            "population",
            "website",
            "email_domain",
            "contact_name",
            "contact_title",
            "contact_email",
            "contact_phone",
            "signer_name",
            "signer_title",
            "signer_email",
            "evidence_name",
            "evidence_pages",
            "evidence_size",
            "status",
            "submitted_at",
            "confirmed_at",
            "decided_at",
            "decided_by",
            "rejection_reason",
            "agency",
        ]


class JoinDuplicateSerializer(serializers.Serializer):
    name = serializers.CharField()
    what = serializers.CharField()
    why = serializers.CharField()


class JoinHintSerializer(serializers.Serializer):
    good = serializers.BooleanField()
    text = serializers.CharField()


class JoinApplicationDetailSerializer(JoinApplicationSerializer):
    duplicates = JoinDuplicateSerializer(many=True, read_only=True)
    hints = JoinHintSerializer(many=True, read_only=True)
    messages = JoinMessageSerializer(many=True, read_only=True, source="thread")

    class Meta(JoinApplicationSerializer.Meta):
        fields = [*JoinApplicationSerializer.Meta.fields, "duplicates", "hints", "messages"]


class JoinRequestInfoSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=TEXT_MAX, trim_whitespace=False)


class JoinRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX, trim_whitespace=False)


class JoinApprovedSerializer(serializers.Serializer):
    application = JoinApplicationSerializer()
    agency = serializers.SlugField(help_text="The new agency's slug")
    invited = serializers.EmailField(help_text="Invited as the agency's administrator")


class MemberImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV: name, type, state, domain, admin_email[, county, population, website]")


class ImportedAgencySerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()
    code = serializers.CharField()


class MemberImportResultSerializer(serializers.Serializer):
    created = ImportedAgencySerializer(many=True)


def created_payload(application: JoinApplication) -> dict:
    return {
        "status": application.status,
        "status_url": status_url(application),
        "status_api_url": f"{settings.SITE_URL}/api/v1/applications/status/{status_token(application)}/",
        "confirmation_sent_to": application.contact_email,
    }
