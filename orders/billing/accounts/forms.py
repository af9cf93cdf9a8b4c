"""HTML forms of the on-account pages. They only parse; the services decide (their refusals land on the fields
through ServiceErrorsMixin)."""

from __future__ import annotations

from django import forms

from marketplace.core.forms import ServiceErrorsMixin
from orders.billing.accounts.api.serializers import ON_ACCOUNT_CHOICES
from orders.billing.services.accounts import AMOUNT_MAX, NET_DAYS_MAX, REASON_MAX, REFERENCE_MAX

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PaymentRecordForm(ServiceErrorsMixin, forms.Form):
    method = forms.ChoiceField(label="Method", choices=ON_ACCOUNT_CHOICES)
    amount = forms.DecimalField(
        label="Amount paid ($)",
        max_digits=14,
        decimal_places=2,
        max_value=AMOUNT_MAX,
        help_text="Defaults to the balance due; a partial payment is allowed.",
    )
    paid_on = forms.DateField(label="Date paid", widget=DATE_INPUT, help_text="Not in the future.")
    reference = forms.CharField(
        label="Reference", max_length=REFERENCE_MAX, help_text="The ACH trace number or the check number."
    )


class PaymentReverseForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label="Why was this payment entered in error?", max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class PaymentTermsForm(ServiceErrorsMixin, forms.Form):
    supplier = forms.SlugField(widget=forms.HiddenInput, max_length=60)
    net_days = forms.IntegerField(label="Net days", min_value=0, max_value=NET_DAYS_MAX)
