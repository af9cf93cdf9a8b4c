"""Team API: invitations, members, MFA policy. Input serializers parse types only; the services validate."""

from __future__ import annotations

from rest_framework import serializers

from ...models import Invitation
from ...roles import Role


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="pending, expired, accepted or revoked")
    invited_by = serializers.EmailField(source="invited_by.email", allow_null=True, read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "roles",
            "message",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
            "last_sent_at",
            "send_count",
        ]


class InvitationInputSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), max_length=len(Role.values))
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000, trim_whitespace=False)


class TeamMemberSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(source="user.pk")
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")
    roles = serializers.ListField(child=serializers.CharField())
    is_active = serializers.BooleanField()
    mfa_enabled = serializers.BooleanField()
    last_login = serializers.DateTimeField(source="user.last_login", allow_null=True)


class TeamMemberInputSerializer(serializers.Serializer):
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices),
        max_length=len(Role.values),
        required=False,
        help_text="The roles the member holds afterwards (at least one)",
    )
    is_active = serializers.BooleanField(required=False, help_text="false deactivates, true reactivates")


class MfaPolicySerializer(serializers.Serializer):
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices),
        max_length=len(Role.values),
        help_text="Roles that must use two-factor sign-in (roles of this organization's kind; may be empty)",
    )


class InvitationLinkSerializer(serializers.ModelSerializer):
    """What an invitation link shows anyone who holds it: who invites whom, to what, and whether it still works."""

    status = serializers.CharField(read_only=True, help_text="pending, expired, accepted or revoked")
    organization = serializers.CharField(source="organization.name", read_only=True)
    organization_kind = serializers.CharField(source="organization.kind", read_only=True)
    organization_slug = serializers.CharField(source="organization.slug", read_only=True)
    invited_by = serializers.CharField(source="invited_by.get_full_name", allow_null=True, read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "email",
            "roles",
            "message",
            "status",
            "organization",
            "organization_kind",
            "organization_slug",
            "invited_by",
            "expires_at",
        ]
