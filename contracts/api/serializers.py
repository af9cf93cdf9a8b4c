from rest_framework import serializers

from marketplace.core.api.serializers import OrganizationSerializer


class CoopMemberAgencySerializer(serializers.Serializer):
    agency = serializers.CharField(source="agency.name")
    agency_slug = serializers.CharField(source="agency.slug")
    status = serializers.CharField()
    expires_on = serializers.DateField()


class CoopDetailSerializer(serializers.Serializer):
    organization = OrganizationSerializer()
    roles = serializers.ListField(child=serializers.CharField())
    member_agencies = CoopMemberAgencySerializer(many=True)
