from rest_framework import serializers

from ..models import Membership, Organization, User


class SlugReferenceField(serializers.SlugRelatedField):
    """`SlugRelatedField` for input: a value PostgreSQL cannot compare (it holds a NUL character) is a field
    error, not a `DataError` from the lookup."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["slug", "name", "kind", "code", "time_zone", "fiscal_year_start_month"]


class MembershipOutSerializer(serializers.Serializer):
    organization = OrganizationSerializer()
    roles = serializers.ListField(child=serializers.CharField())
    url = serializers.CharField(help_text="API URL of the organization.")


class MeSerializer(serializers.ModelSerializer):
    memberships = serializers.SerializerMethodField()
    mfa_enabled = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["email", "full_name", "title", "mfa_enabled", "memberships"]

    def get_mfa_enabled(self, user) -> bool:
        return user.authenticator_set.exists()

    def get_memberships(self, user) -> list[dict]:
        entries = self.context["organizations"]
        return MembershipOutSerializer(
            [{"organization": e["organization"], "roles": e["roles"], "url": "/api/v1" + e["url"]} for e in entries],
            many=True,
        ).data


class MemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")

    class Meta:
        model = Membership
        fields = ["email", "full_name", "role"]
