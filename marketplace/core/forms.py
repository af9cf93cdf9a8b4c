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
