from rest_framework import serializers

from marketplace.core.api.serializers import OrganizationSerializer

from ..models import Agency, Facility


class AgencyProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["agency_type", "state", "population", "website", "email_domain"]


class FacilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Facility
        fields = ["id", "name", "address", "city", "state", "postal_code", "contact_name", "contact_phone"]


class CoopRefSerializer(serializers.Serializer):
    cooperative = serializers.CharField(source="cooperative.name")
    cooperative_slug = serializers.CharField(source="cooperative.slug")
    status = serializers.CharField()
    expires_on = serializers.DateField(allow_null=True, help_text="Null: the membership does not expire.")


class AgencyDetailSerializer(serializers.Serializer):
    organization = OrganizationSerializer()
    profile = AgencyProfileSerializer(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField(), help_text="Your roles in this agency.")
    coop_memberships = CoopRefSerializer(many=True)
    facilities = FacilitySerializer(many=True)
