from rest_framework import serializers

from ..models import Membership, Notification, Organization, User
from ..notification_kinds import NotificationKind


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
    user_id = serializers.IntegerField(source="user.pk", help_text="For …/members/{user_id}/ (admins)")
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")

    class Meta:
        model = Membership
        fields = ["user_id", "email", "full_name", "role"]


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "title", "body", "url", "organization", "created_at", "read_at", "unread"]

    def get_unread(self, notification) -> bool:
        return notification.read_at is None


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread and are now read.")


class NotificationPreferenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    label = serializers.CharField(read_only=True)
    group = serializers.CharField(read_only=True)
    email = serializers.BooleanField(help_text="Also e-mail this kind of notification (in-app is always kept).")
    can_turn_off = serializers.BooleanField(read_only=True)


class NotificationPreferencesSerializer(serializers.Serializer):
    preferences = NotificationPreferenceSerializer(many=True)


class NotificationPreferenceInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    email = serializers.BooleanField()


class NotificationPreferencesInputSerializer(serializers.Serializer):
    preferences = NotificationPreferenceInputSerializer(
        many=True,
        max_length=len(NotificationKind.values),
        help_text="The kinds to set; kinds not listed keep their setting. Each kind at most once.",
    )

    def validate_preferences(self, value: list[dict]) -> list[dict]:
        kinds = [item["kind"] for item in value]
        if len(set(kinds)) != len(kinds):
            raise serializers.ValidationError("Each kind may appear only once.")
        return value
