"""HTML forms for contracts. They parse input; the rules live in contracts.services."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from contracts import selectors
from contracts.models import Contract, ContractStatus, DocumentKind, PricingBasis
from contracts.services.contracts import contract_input
from marketplace.core.forms import ServiceErrorsMixin
from marketplace.core.models import Organization
from suppliers.selectors import contract_supplier_list


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ContractForm(ServiceErrorsMixin, forms.Form):
    number = forms.CharField(
        max_length=40, label="Contract number", help_text="As printed on the contract, e.g. CM-2026-014."
    )
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    supplier = forms.ModelChoiceField(queryset=None, help_text="Only suppliers the co-op has verified are listed.")
    lead_agency = forms.ModelChoiceField(queryset=None, required=False, empty_label="— none —")
    solicitation_number = forms.CharField(max_length=60, required=False)
    solicitation_method = forms.CharField(max_length=60, required=False, help_text="e.g. RFP, IFB, RFQ.")
    solicitation_issued_on = forms.DateField(widget=DateInput(), required=False, label="Solicitation issued on")
    solicitation_closed_on = forms.DateField(widget=DateInput(), required=False, label="Solicitation closed on")
    evaluation_summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="How responses were evaluated and why this supplier was chosen (shown to the public).",
    )
    award_date = forms.DateField(widget=DateInput(), required=False)
    term_start = forms.DateField(widget=DateInput(), label="Term starts")
    term_end = forms.DateField(widget=DateInput(), label="Term ends")
    renewal_options = forms.CharField(max_length=200, required=False, help_text="e.g. Two one-year renewals.")
    pricing_basis = forms.ChoiceField(
        choices=PricingBasis.choices, widget=forms.RadioSelect, initial=PricingBasis.MIN_DISCOUNT
    )
    min_discount_percent = forms.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        label="Minimum discount off list (%)",
        help_text="Required for a minimum-discount contract, 0–100.",
    )
    admin_fee_percent = forms.DecimalField(
        max_digits=6,
        decimal_places=2,
        required=False,
        label="Admin fee (%)",
        help_text="Paid by the supplier on sales, 0–10 %. Never added to the buyer's price.",
    )
    states = forms.CharField(
        max_length=400,
        required=False,
        label="States where it may be used",
        help_text="Two-letter codes separated by spaces or commas, e.g. FL GA AL. Leave empty for nationwide.",
    )
    available_to = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Also available to",
        help_text="Other cooperatives whose members may buy on this contract. Your own co-op always can.",
    )
    featured = forms.BooleanField(
        required=False,
        label="Feature on the front page",
        help_text="While the contract is in force, the public front page shows it first, with its savings and local "
        "stores. When no contract is featured, the one with the most items is shown.",
    )

    def __init__(self, *args, cooperative, contract: Contract | None = None, **kwargs):
        if contract is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(contract)
        super().__init__(*args, **kwargs)
        suppliers = contract_supplier_list(cooperative=cooperative)
        if contract is not None:  # keep the current supplier selectable even if no longer verified
            suppliers = Organization.objects.filter(
                Q(pk__in=suppliers.values("pk")) | Q(pk=contract.supplier_id)
            ).order_by("name")
        self.fields["supplier"].queryset = suppliers
        self.fields["lead_agency"].queryset = selectors.agency_list()
        self.fields["available_to"].queryset = selectors.cooperative_list().exclude(pk=cooperative.pk)
        if contract is not None and contract.status != ContractStatus.DRAFT:
            self.fields["number"].disabled = True
            self.fields["number"].help_text = "Fixed once published: the public address uses it."

    @staticmethod
    def initial_from(contract: Contract) -> dict:
        initial = contract_input(contract)
        initial.update(
            supplier=contract.supplier_id,
            lead_agency=contract.lead_agency_id,
            states=" ".join(contract.states),
            available_to=[c.pk for c in initial["available_to"] if c.pk != contract.cooperative_id],
        )
        return initial

    def to_data(self) -> dict:
        """The service's input: the fields as cleaned (the service parses `states` and converts the fee)."""
        return {**self.cleaned_data, "available_to": list(self.cleaned_data["available_to"])}


class DocumentUploadForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(choices=[("", "— choose —"), *DocumentKind.choices], label="Kind of document")
    title = forms.CharField(max_length=200, required=False, help_text="Leave empty to use the kind as the title.")
    file = forms.FileField(
        label="PDF file",
        error_messages={"empty": "The file is empty.", "required": "Choose a PDF file to upload."},
        help_text="PDF only, up to 20 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
    is_public = forms.BooleanField(
        required=False, initial=True, label="Public", help_text="Shown on the public contract page and in the packet."
    )


class TransitionForm(ServiceErrorsMixin, forms.Form):
    to = forms.ChoiceField(choices=ContractStatus.choices)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)
