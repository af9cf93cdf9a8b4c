"""Kernel forms, and `ServiceErrorsMixin`: every form that calls a service shows its `ApplicationError` the same way."""

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


class AuditFilterForm(forms.Form):
    organization = forms.CharField(required=False, label="Organization (slug)")
    object_type = forms.CharField(required=False, label="Object type", help_text="e.g. core.apitoken")
    object_id = forms.CharField(required=False, label="Object id")
    action = forms.CharField(required=False, label="Action starts with", help_text="e.g. auth.")
    actor = forms.CharField(required=False, label="Actor e-mail contains")


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
