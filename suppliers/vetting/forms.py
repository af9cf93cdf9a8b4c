"""Vetting forms. They parse input into the shape the services take; the rules live in
`suppliers.vetting.services`, whose errors land on the fields through `ServiceErrorsMixin`."""

from __future__ import annotations

from django import forms

from marketplace.core.forms import ServiceErrorsMixin
from marketplace.core.services.uploads import document_max_bytes
from suppliers.vetting.models import CertificationType, DocumentKind
from suppliers.vetting.places import STATES

STATE_CHOICES = [("", "— choose a state —"), *sorted(STATES.items(), key=lambda kv: kv[1])]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _pdf_field(*, required: bool, label: str) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        error_messages={"empty": "The file is empty.", "required": "Choose the PDF file to upload."},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        help_text=f"PDF only, up to {document_max_bytes() // 1048576} MB.",
    )


def _money_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=0, help_text="In dollars, e.g. 1000000 (0 if none)."
    )


class InviteForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(max_length=200, label="Supplier name", help_text="As buyers will know it, e.g. Volt & Beam.")
    legal_name = forms.CharField(
        max_length=200, required=False, label="Legal name", help_text="If different; the supplier can correct it."
    )
    admin_email = forms.EmailField(
        label="Supplier admin's e-mail", help_text="This person is invited to complete the profile and run the team."
    )
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False, label="Message (optional)"
    )


class ProfileForm(ServiceErrorsMixin, forms.Form):
    legal_name = forms.CharField(max_length=200, label="Legal name", help_text="As on your W-9.")
    dba = forms.CharField(max_length=200, required=False, label="Doing business as (DBA)")
    ein = forms.CharField(
        max_length=20, required=False, label="EIN", help_text="Employer Identification Number: NN-NNNNNNN."
    )
    remit_to = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        label="Remit-to address",
        help_text="Where agencies send payments by check.",
    )
    order_desk_email = forms.EmailField(
        required=False, label="Order-desk e-mail", help_text="Purchase orders are sent here."
    )
    website = forms.CharField(max_length=200, required=False, help_text="e.g. https://www.example.com")
    phone = forms.CharField(max_length=40, required=False)

    def __init__(self, *args, locked: bool = False, **kwargs):
        """`locked`: the profile was submitted, so the legal name and EIN the co-op vets are shown, not edited."""
        super().__init__(*args, **kwargs)
        if locked:
            for name in ("legal_name", "ein"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Fixed once submitted for vetting; ask the co-op to change it."


class W9Form(ServiceErrorsMixin, forms.Form):
    kind = DocumentKind.W9
    file = _pdf_field(required=True, label="W-9 (PDF)")


class COIForm(ServiceErrorsMixin, forms.Form):
    kind = DocumentKind.COI
    file = _pdf_field(required=True, label="Certificate of insurance (PDF)")
    general_liability = _money_field("General liability coverage (USD)")
    auto_liability = _money_field("Auto liability coverage (USD)")
    workers_comp = _money_field("Workers' compensation coverage (USD)")
    effective_on = forms.DateField(widget=DateInput(), required=False, label="Coverage starts")
    expires_on = forms.DateField(widget=DateInput(), label="Coverage ends")


class CertificationForm(ServiceErrorsMixin, forms.Form):
    kind = DocumentKind.CERT
    certification_type = forms.ChoiceField(
        choices=[("", "— choose a type —"), *CertificationType.choices], label="Type"
    )
    issuer = forms.CharField(max_length=200, label="Issued by", help_text="e.g. Florida Office of Supplier Diversity")
    number = forms.CharField(max_length=80, required=False, label="Certificate number")
    expires_on = forms.DateField(
        widget=DateInput(), required=False, label="Expires on", help_text="Leave empty if it does not expire."
    )
    file = _pdf_field(required=False, label="Certificate (PDF, optional)")


DOCUMENT_FORMS = {form.kind: form for form in (W9Form, COIForm, CertificationForm)}


def document_forms(bound: forms.Form | None = None) -> dict[str, forms.Form]:
    """One upload form per kind (prefixed by the kind so ids stay unique on the page); `bound` replaces its own."""
    forms_ = {kind: cls(prefix=kind) for kind, cls in DOCUMENT_FORMS.items()}
    if bound is not None:
        forms_[bound.kind] = bound
    return forms_


class StoreForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(max_length=200, label="Store name", help_text="e.g. Batteries Plus #512 Orlando.")
    owner_name = forms.CharField(max_length=200, required=False, label="Local owner", help_text="Franchise owner.")
    locally_owned = forms.BooleanField(required=False, initial=True, label="Locally owned")
    address = forms.CharField(max_length=200, label="Street address")
    city = forms.CharField(max_length=100)
    state = forms.ChoiceField(choices=STATE_CHOICES)
    postal_code = forms.CharField(max_length=10, label="ZIP code", help_text="5 digits, or ZIP+4.")
    latitude = forms.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
        help_text="Optional: without coordinates, the centre of the ZIP code is used.",
    )
    longitude = forms.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False)
    service_radius_miles = forms.IntegerField(
        min_value=1, max_value=500, initial=50, label="Service radius (miles)", help_text="How far it delivers."
    )
    email = forms.EmailField(required=False, label="Store e-mail", help_text="Purchase orders it fulfils go here.")
    phone = forms.CharField(max_length=40, required=False)
    is_active = forms.BooleanField(required=False, initial=True, label="Active (offered to buyers)")


class SendBackForm(ServiceErrorsMixin, forms.Form):
    comments = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        label="What should the supplier change?",
        help_text="The supplier sees these comments on its profile.",
    )


class DocumentReviewForm(ServiceErrorsMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("verify", "Verify"), ("reject", "Reject")])
    comment = forms.CharField(max_length=4000, required=False)
