"""Membership-agreement forms: they parse input into what the services take; the rules live in the services."""

from __future__ import annotations

from django import forms

from agencies.agreements.services import BODY_MAX, LABEL_MAX, NAME_MAX, TITLE_MAX
from marketplace.core.forms import ServiceErrorsMixin


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PublishForm(ServiceErrorsMixin, forms.Form):
    label = forms.CharField(max_length=LABEL_MAX, label="Version label", help_text="e.g. 2027-1 or v2.")
    title = forms.CharField(max_length=TITLE_MAX, help_text="e.g. Intergovernmental cooperative purchasing agreement.")
    body = forms.CharField(
        label="Agreement text",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Plain text. Separate paragraphs with a blank line; it is shown and printed exactly as typed.",
    )
    effective_on = forms.DateField(label="Effective date", widget=DateInput())
    reaccept_by = forms.DateField(
        label="Members must re-accept by (optional)",
        required=False,
        widget=DateInput(),
        help_text="For a new version that existing members must accept again: after this date their ordering stops "
        "until they do. Leave empty if members who signed an earlier version may keep ordering.",
    )
    source_file = forms.FileField(
        label="Signed source document (PDF, optional)",
        required=False,
        help_text="The agreement as your board approved it. Checked by content; at most 20 MB.",
    )


class AcceptForm(ServiceErrorsMixin, forms.Form):
    signer_name = forms.CharField(max_length=NAME_MAX, label="Full name of the authorized signer")
    signer_title = forms.CharField(
        max_length=NAME_MAX, label="Title", help_text="e.g. City Manager, Purchasing Director."
    )
    authorized = forms.BooleanField(required=False)

    def __init__(self, *args, agency_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_name = agency_name
        self.fields["authorized"].label = f"I am authorized to sign for {agency_name}"

    def clean_authorized(self) -> bool:
        # the service says the same; checked here too so one submission lists every problem
        if not self.cleaned_data.get("authorized"):
            raise forms.ValidationError(f"Confirm that you are authorized to sign for {self.agency_name}.")
        return True
