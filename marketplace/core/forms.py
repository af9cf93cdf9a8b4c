"""Kernel forms, and `ServiceErrorsMixin`: every form that calls a service shows its `ApplicationError` the same way."""

from allauth.account.forms import SignupForm
from django import forms

from marketplace.core.errors import ApplicationError


class ServiceErrorsMixin:
    """Put an ApplicationError's field messages on the matching form fields (others at the top)."""

    def add_service_error(self, exc: ApplicationError) -> None:
        if not exc.fields:
            self.add_error(None, exc.message)
            return
        for name, messages in exc.fields.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class ApiTokenForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        max_length=100, label="Token name", help_text="What will use it, e.g. “ERP nightly sync”.", strip=True
    )


class NotificationPreferencesForm(ServiceErrorsMixin, forms.Form):
    """One "E-mail me" checkbox per kind (`rows` from `notification_preference_list`), grouped for the page. A kind
    that is always e-mailed is shown checked and disabled (a disabled field keeps its initial value)."""

    def __init__(self, data=None, *, rows: list[dict]):
        super().__init__(data)
        self.rows = rows
        for row in rows:
            self.fields[f"email_{row['kind']}"] = forms.BooleanField(
                required=False,
                initial=row["email"],
                label=row["label"],
                disabled=not row["can_turn_off"],
                help_text="" if row["can_turn_off"] else "Always e-mailed: these messages may need you to act.",
            )

    def groups(self) -> list[dict]:
        """[{"key", "heading", "fields"}] in the page's order."""
        groups: dict[str, dict] = {}
        for row in self.rows:
            entry = groups.setdefault(row["group"], {"key": row["group"], "heading": row["group_label"], "fields": []})
            entry["fields"].append(self[f"email_{row['kind']}"])
        return list(groups.values())

    def email_choices(self) -> dict[str, bool]:
        """{kind: e-mail on} for every kind the form shows and the user may change."""
        return {
            row["kind"]: bool(self.cleaned_data[f"email_{row['kind']}"]) for row in self.rows if row["can_turn_off"]
        }


# --- invitations and team --------------------------------------------------------------------------------------------

INVITATION_SESSION_KEY = "invitation_signup"  # {"token": …, "email": …} while someone signs up from an invitation


def _invited_signup_email(request) -> str | None:
    """The invited address, while this sign-up is the one started from the invitation link: the session remembers
    the link, and the form's `next` still leads back to it (a later, unrelated sign-up in the same browser is free)."""
    entry = request.session.get(INVITATION_SESSION_KEY) if request is not None else None
    if not isinstance(entry, dict):
        return None
    target = request.POST.get("next") or request.GET.get("next")
    return entry.get("email") if target == f"/invitations/{entry.get('token')}/" else None


class InvitationAwareSignupForm(SignupForm):
    """allauth's sign-up form; when the person came from an invitation link, the e-mail field is fixed to the
    invited address (read-only, and any other address is refused), so the account can accept the invitation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from allauth.core import context

        self.invited_email = _invited_signup_email(getattr(context, "request", None))
        if self.invited_email and "email" in self.fields:
            field = self.fields["email"]
            field.initial = self.invited_email
            field.widget.attrs["readonly"] = True
            field.help_text = "The address you were invited at. It is confirmed already: you clicked its link."

    def clean_email(self):
        value = super().clean_email()
        if self.invited_email and (value or "").lower() != self.invited_email:
            raise forms.ValidationError(f"Sign up with the invited address, {self.invited_email}.")
        return value


class RoleChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


def role_choices(kind: str) -> list[tuple[str, str]]:
    from .roles import ROLES_BY_KIND, Role

    return [(role.value, role.label) for role in Role if role in ROLES_BY_KIND[kind]]


class InviteForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(label="E-mail address", max_length=254)
    roles = RoleChoiceField(label="Roles", help_text="What they may do here. Choose at least one.")
    message = forms.CharField(
        label="Message (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Added to the invitation e-mail.",
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(kind)


class MemberRolesForm(ServiceErrorsMixin, forms.Form):
    roles = RoleChoiceField(label="Roles", help_text="Choose at least one. To remove someone, deactivate them.")

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(kind)


class MfaPolicyForm(ServiceErrorsMixin, forms.Form):
    roles = RoleChoiceField(
        label="Roles that must use two-factor sign-in",
        required=False,
        help_text="Members holding one of these roles set up an authenticator app the next time they sign in.",
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(kind)
