"""Receiving forms: a delivery (one row per order line: good and damaged units now, a note), the supplier's answer
to a discrepancy and the agency's resolution. The rules are the services'; a refusal is put back on the fields."""

from __future__ import annotations

from django import forms

from marketplace.core.errors import ApplicationError
from marketplace.core.forms import ServiceErrorsMixin
from orders.receiving.services import LINE_NOTE_MAX, NOTE_MAX, QUANTITY_MAX, LineInput

# service field key suffix -> form field suffix
_LINE_FIELDS = {"quantity_received": "received", "quantity_damaged": "damaged", "note": "note", "line": "received"}


class ReceiptForm(ServiceErrorsMixin, forms.Form):
    received_on = forms.DateField(
        label="Day the goods arrived", widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"})
    )
    complete = forms.BooleanField(
        required=False,
        label="This delivery is complete",
        help_text="Anything still below the shipped quantity is reported to the supplier as short.",
        widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}),
    )
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX,
        label="Note (optional)",
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 2}),
    )

    def __init__(self, *args, po, **kwargs):
        super().__init__(*args, **kwargs)
        self.po_lines = list(po.lines.all())
        for line in self.po_lines:
            for name, label in (("received", "Received now"), ("damaged", "Damaged now")):
                self.fields[f"line-{line.id}-{name}"] = forms.IntegerField(
                    required=False,
                    min_value=0,
                    max_value=QUANTITY_MAX,
                    label=f"{label}, {line.sku}",
                    widget=forms.NumberInput(attrs={"class": "usa-input desk-ship-qty", "min": 0, "step": 1}),
                )
            self.fields[f"line-{line.id}-note"] = forms.CharField(
                required=False,
                max_length=LINE_NOTE_MAX,
                label=f"Note, {line.sku}",
                widget=forms.TextInput(attrs={"class": "usa-input"}),
            )

    def rows(self):
        for line in self.po_lines:
            yield {
                "line": line,
                "cells": [
                    ("Received now", self[f"line-{line.id}-received"]),
                    ("Damaged now", self[f"line-{line.id}-damaged"]),
                    ("Note", self[f"line-{line.id}-note"]),
                ],
            }

    def lines(self) -> dict[int, LineInput]:
        data = self.cleaned_data
        lines: dict[int, LineInput] = {}
        for line in self.po_lines:
            good = data.get(f"line-{line.id}-received") or 0
            damaged = data.get(f"line-{line.id}-damaged") or 0
            note = data.get(f"line-{line.id}-note") or ""
            if good or damaged or note:
                lines[line.id] = (good, damaged, note)
        return lines

    def add_service_error(self, exc: ApplicationError) -> None:
        fields = {}
        for key, messages in exc.fields.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == "lines":
                key = f"line-{parts[1]}-{_LINE_FIELDS.get(parts[2], 'received')}"
            fields.setdefault(key, []).extend(messages)
        if not fields:
            self.add_error(None, exc.message)
        for name, messages in fields.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class DiscrepancyAnswerForm(ServiceErrorsMixin, forms.Form):
    response = forms.CharField(
        max_length=NOTE_MAX,
        label="Your answer",
        help_text="What you will do: replace, credit, or explain.",
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )


class DiscrepancyResolveForm(ServiceErrorsMixin, forms.Form):
    resolution = forms.CharField(
        max_length=NOTE_MAX,
        label="How it was resolved",
        help_text="For example: accepted as is, replacement received, credit agreed.",
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )
