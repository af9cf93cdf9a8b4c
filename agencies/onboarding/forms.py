"""Onboarding forms. They only parse input; the rules are in `agencies.onboarding.services` (whose errors land on
the fields through `ServiceErrorsMixin`)."""

from __future__ import annotations

from django import forms
from django.forms.utils import pretty_name

from agencies.models import AgencyType
from agencies.onboarding.geography import STATE_CHOICES
from agencies.onboarding.services import TEXT_MAX
from marketplace.core.forms import ServiceErrorsMixin

PDF = forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"})


class JoinApplicationForm(ServiceErrorsMixin, forms.Form):
    legal_name = forms.CharField(
        max_length=200,
        label="Legal name of the entity",
        help_text="As on official documents, e.g. City of Maple Ridge.",
    )
    agency_type = forms.ChoiceField(label="Type of entity", choices=[("", "— choose a type —"), *AgencyType.choices])
    state = forms.ChoiceField(choices=STATE_CHOICES)
    county = forms.CharField(
        max_length=100,
        required=False,
        help_text="The county the entity is in, e.g. Orange. Not needed for a state agency.",
    )
    population = forms.CharField(
        max_length=15, required=False, label="Population served", help_text="A whole number, e.g. 48,200."
    )
    website = forms.CharField(max_length=200, required=False, help_text="e.g. https://www.mapleridge.gov")
    email_domain = forms.CharField(
        max_length=100,
        label="Official e-mail domain",
        help_text="The part after @ in your staff's addresses, e.g. mapleridge.gov. Your colleagues join with it.",
    )
    contact_name = forms.CharField(max_length=150, label="Full name")
    contact_title = forms.CharField(max_length=150, label="Title", help_text="e.g. Purchasing Manager.")
    contact_email = forms.CharField(
        max_length=254,
        label="E-mail address",
        help_text="We send a confirmation link here; approval invites this address as the agency's administrator.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = forms.CharField(
        max_length=40, label="Phone", help_text="e.g. (407) 555-0100.", widget=forms.TextInput(attrs={"type": "tel"})
    )
    signer_name = forms.CharField(max_length=150, label="Full name")
    signer_title = forms.CharField(max_length=150, label="Title", help_text="e.g. City Manager.")
    signer_email = forms.CharField(max_length=254, label="E-mail address", widget=forms.EmailInput())
    evidence = forms.FileField(
        label="Evidence of public-entity status (PDF)",
        help_text="For example a charter, enabling statute or resolution of your governing body. PDF, up to 20 MB.",
        widget=PDF,
    )
    # Honeypot: hidden from people (and screen readers); a bot filling every field fills it.
    fax_extension = forms.CharField(required=False, max_length=100, label="Leave this field empty")

    CONTACT = ("contact_name", "contact_title", "contact_email", "contact_phone")
    SIGNER = ("signer_name", "signer_title", "signer_email")
    ENTITY = ("legal_name", "agency_type", "state", "county", "population", "website", "email_domain")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fax_extension"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        # the service says what is wrong with a missing field (one clear message, the same as the API's)
        for name, field in self.fields.items():
            field.error_messages["required"] = {
                "evidence": "Attach the evidence of public-entity status as a PDF.",
            }.get(
                name,
                f"Enter the {(field.label or pretty_name(name)).lower()}."
                if name not in ("agency_type", "state")
                else "Choose one.",
            )

    def group(self, names):
        return [self[name] for name in names]

    def entity_fields(self):
        return self.group(self.ENTITY)

    def contact_fields(self):
        return self.group(self.CONTACT)

    def signer_fields(self):
        return self.group(self.SIGNER)

    def to_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("evidence", "fax_extension")}


class ReplyForm(ServiceErrorsMixin, forms.Form):
    message = forms.CharField(label="Your answer", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(
        label="Attach a document (PDF, optional)", required=False, widget=PDF, help_text="PDF, up to 20 MB."
    )


class RequestInfoForm(ServiceErrorsMixin, forms.Form):
    message = forms.CharField(
        label="What should the applicant send or explain?",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="E-mailed to the primary contact with the link to their status page, where they answer.",
    )


class RejectForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label="Reason for rejecting",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="E-mailed to the applicant.",
    )


class MemberImportForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(
        label="Member list (CSV)",
        help_text="Columns: name, type, state, domain, admin_email; optional county, population, website.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
