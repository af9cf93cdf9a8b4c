from django import forms


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, label="Token name", help_text="What will use it, e.g. “ERP nightly sync”.", strip=True
    )


class AuditFilterForm(forms.Form):
    organization = forms.CharField(required=False, label="Organization (slug)")
    object_type = forms.CharField(required=False, label="Object type", help_text="e.g. core.apitoken")
    object_id = forms.CharField(required=False, label="Object id")
    action = forms.CharField(required=False, label="Action starts with", help_text="e.g. auth.")
    actor = forms.CharField(required=False, label="Actor e-mail contains")
