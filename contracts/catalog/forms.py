"""Forms for catalog imports (supplier) and price-change decisions (co-op). They parse input; the services decide."""

from __future__ import annotations

from django import forms

from contracts.catalog.images.archive import MAX_ZIP_BYTES
from contracts.catalog.images.checking import ACCEPT, MAX_IMAGE_BYTES
from contracts.catalog.imports.parsing import MAX_FILE_BYTES
from contracts.catalog.services.pricing import MAX_REASON_LENGTH
from contracts.models import ImportMode
from marketplace.core.forms import ServiceErrorsMixin


class ImportUploadForm(ServiceErrorsMixin, forms.Form):
    contract = forms.ChoiceField(label="Contract", help_text="The contract whose catalog this file updates.")
    mode = forms.ChoiceField(
        label="Mode",
        choices=ImportMode.choices,
        initial=ImportMode.UPSERT,
        widget=forms.RadioSelect,
        help_text="Replace also discontinues this contract's items that are not in the file.",
    )
    file = forms.FileField(
        label="Catalog file",
        error_messages={"required": "Choose a catalog file."},
        help_text=f"CSV (UTF-8 or Windows-1252; comma, semicolon or tab) or Excel .xlsx, up to "
        f"{MAX_FILE_BYTES // (1024 * 1024)} MB. Start from the template.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.xlsx"}),
    )
    images = forms.FileField(
        label="Pictures (optional)",
        required=False,
        help_text=f"A ZIP of JPEG, PNG or WebP pictures, up to {MAX_ZIP_BYTES // (1024 * 1024)} MB, named in the "
        "file's image column.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def __init__(self, *args, contracts, kept=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = kept  # a KeptUpload from an earlier refused submission: it stands in for a file not chosen
        self.fields["file"].required = kept is None
        self.fields["contract"].choices = [("", "- Select a contract -")] + [
            (c.number, f"{c.number} — {c.title}") for c in contracts
        ]

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file:
            return None
        if file.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is {file.size / (1024 * 1024):.1f} MB; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB."
            )
        return file


class ItemImageForm(ServiceErrorsMixin, forms.Form):
    image = forms.FileField(
        label="Picture",
        help_text=f"JPEG, PNG or WebP, up to {MAX_IMAGE_BYTES // (1024 * 1024)} MB. It is resized to a square; "
        "a plain light background looks best.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "class": "usa-file-input"}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason for rejecting",
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The supplier sees this reason.",
    )


class PriceChangeForm(ServiceErrorsMixin, forms.Form):
    contract_price = forms.DecimalField(
        label="New contract price",
        max_digits=12,
        decimal_places=2,
        help_text="In dollars, e.g. 12.50. A lower price applies at once; a higher one waits for the co-op.",
    )
    list_price = forms.DecimalField(
        label="New list price (optional)",
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text="Leave empty to keep the current list price.",
    )
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to the co-op with an increase.",
    )
