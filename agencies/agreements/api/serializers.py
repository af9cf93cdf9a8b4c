"""Membership-agreement API shapes (names prefixed `Agreement…` so they stay unique in the OpenAPI schema)."""

from __future__ import annotations

from rest_framework import serializers

from agencies.agreements.models import AgreementAcceptance, AgreementVersion
from agencies.agreements.services import BODY_MAX, LABEL_MAX, NAME_MAX, TITLE_MAX


class AgreementVersionSerializer(serializers.ModelSerializer):
    accepted_count = serializers.IntegerField(read_only=True, help_text="Agencies that accepted this version.")
    has_source_document = serializers.SerializerMethodField()

    class Meta:
        model = AgreementVersion
        fields = [
            "id",
            "label",
            "title",
            "body",
            "effective_on",
            "reaccept_by",
            "published_at",
            "has_source_document",
            "source_sha256",
            "source_pages",
            "accepted_count",
        ]

    def get_has_source_document(self, obj) -> bool:
        return bool(obj.source_file)


class AgreementTextSerializer(AgreementVersionSerializer):
    """A version as a member agency reads it (no counts of other members' signatures)."""

    class Meta(AgreementVersionSerializer.Meta):
        fields = [f for f in AgreementVersionSerializer.Meta.fields if f != "accepted_count"]


class AgreementPublishInputSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=LABEL_MAX)
    title = serializers.CharField(max_length=TITLE_MAX)
    body = serializers.CharField(max_length=BODY_MAX, help_text="Plain text; paragraphs separated by a blank line.")
    effective_on = serializers.DateField()
    reaccept_by = serializers.DateField(
        required=False, allow_null=True, help_text="Members who signed an earlier version must accept by this date."
    )
    source_file = serializers.FileField(required=False, allow_null=True, help_text="The source PDF (optional).")


class AgreementAcceptanceSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    version = serializers.IntegerField(source="version_id", read_only=True)
    version_label = serializers.CharField(source="version.label", read_only=True)
    cooperative = serializers.SlugField(source="cooperative.slug", read_only=True)
    agency = serializers.SlugField(source="agency.slug", read_only=True)
    signed_by = serializers.EmailField(source="signed_by.email", read_only=True)
    pdf_ready = serializers.SerializerMethodField()

    class Meta:
        model = AgreementAcceptance
        fields = [
            "id",
            "version",
            "version_label",
            "cooperative",
            "agency",
            "signer_name",
            "signer_title",
            "signed_on",
            "signed_at",
            "ip_address",
            "signed_by",
            "pdf_status",
            "pdf_ready",
        ]

    def get_pdf_ready(self, obj) -> bool:
        return obj.pdf_status == "ready" and bool(obj.pdf)


class AgreementStandingSerializer(serializers.Serializer):
    """The agency's standing with one co-op's agreement."""

    cooperative = serializers.SlugField(source="cooperative.slug")
    cooperative_name = serializers.CharField(source="cooperative.name")
    state = serializers.ChoiceField(
        choices=[
            ("none", "no agreement published"),
            ("signed", "the current version is signed"),
            ("earlier", "an earlier version is signed; re-acceptance not required"),
            ("unsigned", "not signed: ordering on the co-op's contracts is blocked"),
            ("due", "re-acceptance due by a date: ordering continues until then"),
            ("overdue", "re-acceptance date passed: ordering blocked"),
        ],
        help_text="`unsigned` and `overdue` block checkout on the co-op's contracts (`agreement_required`).",
    )
    blocks_ordering = serializers.BooleanField(source="blocks")
    message = serializers.CharField(allow_null=True)
    current = AgreementTextSerializer(allow_null=True)
    accepted = AgreementAcceptanceSerializer(allow_null=True, help_text="The acceptance of the current version.")
    latest = AgreementAcceptanceSerializer(allow_null=True, help_text="The latest acceptance of any version.")


class AgreementAcceptInputSerializer(serializers.Serializer):
    signer_name = serializers.CharField(max_length=NAME_MAX, help_text="Full name of the authorized signer (typed).")
    signer_title = serializers.CharField(max_length=NAME_MAX)
    authorized = serializers.BooleanField(help_text="Must be true: the signer is authorized to sign for the agency.")
