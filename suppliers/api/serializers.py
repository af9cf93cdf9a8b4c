from rest_framework import serializers

from marketplace.core.api.serializers import OrganizationSerializer
from suppliers.models import StoreLocation, Supplier


class SupplierProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = ["legal_name", "dba", "website", "phone", "vetting_status", "small_business", "certifications"]


class StoreLocationSerializer(serializers.ModelSerializer):
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
            "latitude",
            "longitude",
            "service_radius_miles",
        ]


class SupplierDetailSerializer(serializers.Serializer):
    organization = OrganizationSerializer()
    profile = SupplierProfileSerializer(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
    stores = StoreLocationSerializer(many=True)
