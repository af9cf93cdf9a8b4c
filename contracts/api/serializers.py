from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contracts.models import Contract, ContractDocument, ContractStatus, DocumentKind, PricingBasis
from contracts.services.contracts import rate_to_percent
from marketplace.core.api.serializers import SlugReferenceField
from marketplace.core.models import Organization
from marketplace.core.roles import OrgKind


class OrganizationRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class PublicDocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ContractDocument
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "page_count",
            "size_bytes",
            "sha256",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, document) -> str:
        return reverse(
            "public-contract-document", kwargs={"contract": document.contract.slug, "document_id": document.pk}
        )


class DocumentSerializer(PublicDocumentSerializer):
    """A document as co-op staff see it (withdrawn and private ones included)."""

    uploaded_by = serializers.EmailField(source="uploaded_by.email")

    class Meta(PublicDocumentSerializer.Meta):
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "original_name",
            "page_count",
            "size_bytes",
            "sha256",
            "is_public",
            "uploaded_by",
            "uploaded_at",
            "removed_at",
            "download_url",
        ]

    def get_download_url(self, document) -> str:
        return reverse(
            "coop-contract-document",
            kwargs={
                "org": document.contract.cooperative.slug,
                "contract": document.contract.slug,
                "document_id": document.pk,
            },
        )


class PublicContractSerializer(serializers.ModelSerializer):
    """The public fields of a published contract."""

    cooperative = OrganizationRefSerializer()
    supplier = OrganizationRefSerializer()
    lead_agency = OrganizationRefSerializer(allow_null=True)
    status_label = serializers.CharField(source="get_status_display")
    pricing_basis_label = serializers.CharField(source="get_pricing_basis_display")
    admin_fee_percent = serializers.SerializerMethodField()
    nationwide = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "slug",
            "number",
            "title",
            "description",
            "status",
            "status_label",
            "cooperative",
            "supplier",
            "lead_agency",
            "solicitation_number",
            "solicitation_method",
            "solicitation_issued_on",
            "solicitation_closed_on",
            "evaluation_summary",
            "award_date",
            "term_start",
            "term_end",
            "renewal_options",
            "pricing_basis",
            "pricing_basis_label",
            "min_discount_percent",
            "admin_fee_percent",
            "states",
            "nationwide",
            "url",
        ]

    @extend_schema_field(serializers.DecimalField(max_digits=6, decimal_places=2))
    def get_admin_fee_percent(self, contract) -> str:
        return str(rate_to_percent(contract.admin_fee_rate))

    def get_nationwide(self, contract) -> bool:
        return not contract.states

    def get_url(self, contract) -> str:
        return reverse("public-contract-detail", kwargs={"contract": contract.slug})


class PublicContractDetailSerializer(PublicContractSerializer):
    documents = PublicDocumentSerializer(many=True, source="public_documents")

    class Meta(PublicContractSerializer.Meta):
        fields = [*PublicContractSerializer.Meta.fields, "documents"]


class ContractSerializer(PublicContractSerializer):
    """A contract as its co-op's staff see it."""

    available_to = OrganizationRefSerializer(many=True)
    admin_fee_rate = serializers.DecimalField(max_digits=5, decimal_places=4, help_text="Stored fraction (0.02 = 2 %).")
    document_count = serializers.IntegerField(required=False)

    class Meta(PublicContractSerializer.Meta):
        fields = [
            "id",
            *PublicContractSerializer.Meta.fields,
            "admin_fee_rate",
            "available_to",
            "featured",
            "created_at",
            "document_count",
        ]


class ContractInputSerializer(serializers.Serializer):
    """Create (all required fields) or update (PATCH: only the fields sent). Its `validated_data` is the service's
    input as it is: rules, `states` parsing and the fee's percent → stored rate are the service's."""

    number = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    supplier = SlugReferenceField(
        slug_field="slug", queryset=Organization.objects.filter(kind=OrgKind.SUPPLIER), help_text="Supplier slug."
    )
    lead_agency = SlugReferenceField(
        slug_field="slug", queryset=Organization.objects.filter(kind=OrgKind.AGENCY), required=False, allow_null=True
    )
    solicitation_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    solicitation_method = serializers.CharField(max_length=60, required=False, allow_blank=True)
    solicitation_issued_on = serializers.DateField(required=False, allow_null=True)
    solicitation_closed_on = serializers.DateField(required=False, allow_null=True)
    evaluation_summary = serializers.CharField(required=False, allow_blank=True)
    award_date = serializers.DateField(required=False, allow_null=True)
    term_start = serializers.DateField()
    term_end = serializers.DateField()
    renewal_options = serializers.CharField(max_length=200, required=False, allow_blank=True)
    pricing_basis = serializers.ChoiceField(choices=PricingBasis.choices, required=False)
    min_discount_percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    admin_fee_percent = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True, help_text="Percent, e.g. 2.5 for 2.5 %."
    )
    states = serializers.ListField(
        child=serializers.CharField(max_length=10), required=False, help_text="Two-letter codes; empty = nationwide."
    )
    available_to = SlugReferenceField(
        slug_field="slug",
        many=True,
        required=False,
        queryset=Organization.objects.filter(kind=OrgKind.COOPERATIVE),
        help_text="Other cooperatives (slugs); the owning co-op is always included.",
    )
    featured = serializers.BooleanField(
        required=False, help_text="Shown first on the public front page while in force (default false)."
    )


class ContractFilterSerializer(serializers.Serializer):
    """Query parameters of the co-op's contract list."""

    status = serializers.ChoiceField(choices=ContractStatus.choices, required=False, allow_blank=True)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="Part of the number or title")


class PublicContractFilterSerializer(serializers.Serializer):
    """Query parameters of the public contract list."""

    q = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Part of the number, title or supplier name"
    )
    state = serializers.CharField(
        required=False, allow_blank=True, max_length=2, help_text="Usable in this state (two-letter code)"
    )


class TransitionInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=[ContractStatus.ACTIVE, ContractStatus.TERMINATED], help_text="active = publish"
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class DocumentUploadInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    file = serializers.FileField(
        help_text="PDF, up to 20 MB (checked by content).", error_messages={"empty": "The file is empty."}
    )
    is_public = serializers.BooleanField(default=True)
