"""Agency set-up forms. They parse input into the shape the services take; the rules live in
`agencies.setup.services` (whose errors land on the fields through `ServiceErrorsMixin`). Choice fields list
only this agency's rows, so another agency's id is refused as an invalid choice before any service runs."""

from __future__ import annotations

from django import forms

from agencies.models import ApprovalRule, Department, Facility, FundCode
from agencies.setup import selectors
from agencies.setup.services import AGENCY_ROLES, MAX_APPROVALS, NOTES_MAX
from contracts.services.contracts import US_STATES
from marketplace.core.forms import ServiceErrorsMixin
from marketplace.core.models import Organization
from marketplace.core.roles import Role
from marketplace.core.services.uploads import document_max_bytes

STATE_CHOICES = [("", "— choose a state —"), *sorted(US_STATES.items(), key=lambda kv: kv[1])]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SetupForm(ServiceErrorsMixin, forms.Form):
    """A set-up form for one agency, optionally editing `instance` (its values are the initial ones)."""

    def __init__(self, *args, agency: Organization, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(instance, name, None) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        self.agency, self.instance = agency, instance

    def to_data(self) -> dict:
        return dict(self.cleaned_data)


class DepartmentForm(SetupForm):
    name = forms.CharField(max_length=150, help_text="e.g. Public Works, Fire Rescue.")
    code = forms.CharField(max_length=20, required=False, help_text="Your finance system's code, if any.")


class FacilityForm(SetupForm):
    name = forms.CharField(max_length=200, help_text="e.g. Fire Station 3, Central Warehouse.")
    address = forms.CharField(max_length=200, label="Street address")
    city = forms.CharField(max_length=100)
    state = forms.ChoiceField(choices=STATE_CHOICES)
    postal_code = forms.CharField(max_length=10, label="ZIP code", help_text="5 digits, or ZIP+4.")
    contact_name = forms.CharField(max_length=150, required=False, label="Contact name")
    contact_phone = forms.CharField(max_length=40, required=False, label="Contact phone")
    delivery_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTES_MAX,
        required=False,
        help_text="Dock hours, gate codes, who signs for deliveries. Printed on the purchase order.",
    )
    latitude = forms.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
        help_text="Decimal degrees, −90 to 90, e.g. 28.538336. Used to find the nearest local store.",
    )
    longitude = forms.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        help_text="Decimal degrees, −180 to 180, e.g. -81.379234.",
    )


class FundCodeForm(SetupForm):
    code = forms.CharField(max_length=40, help_text="The fund / GL account string, e.g. 001-2100-5230.")
    description = forms.CharField(max_length=200, required=False)
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        required=False,
        empty_label="— any department —",
        help_text="Leave empty if any department may charge it.",
    )

    def __init__(self, *args, agency: Organization, instance: FundCode | None = None, **kwargs):
        super().__init__(*args, agency=agency, instance=instance, **kwargs)
        keep = instance.department_id if instance else None
        self.fields["department"].queryset = selectors.department_choices(agency=agency, keep_id=keep)


ROLE_CHOICES = [(role.value, role.label) for role in Role if role.value in AGENCY_ROLES]


class ApprovalRuleForm(SetupForm):
    name = forms.CharField(max_length=150, help_text="e.g. Department head over $2,500.")
    min_amount = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        label="Applies from (USD)",
        help_text="The requisition total from which this rule applies; 0 for every order.",
    )
    approvals_required = forms.IntegerField(
        min_value=0,
        max_value=MAX_APPROVALS,
        label="Approvals required",
        help_text=f"0 to {MAX_APPROVALS}. 0 means approved at once.",
    )
    approver_role = forms.ChoiceField(choices=ROLE_CHOICES, initial=Role.APPROVER, label="Who approves")
    category = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="— every category —",
        help_text="Only for orders with a line in this category (or below it).",
    )
    is_emergency = forms.BooleanField(
        required=False,
        label="Emergency rule",
        help_text="Applies instead of the amount rules to a declared emergency. Only one can be active.",
    )

    def __init__(self, *args, agency: Organization, instance: ApprovalRule | None = None, **kwargs):
        super().__init__(*args, agency=agency, instance=instance, **kwargs)
        self.fields["category"].queryset = selectors.category_choices()


class TaxCertificateForm(ServiceErrorsMixin, forms.Form):
    state = forms.ChoiceField(choices=STATE_CHOICES)
    number = forms.CharField(max_length=60, label="Certificate number")
    expires_on = forms.DateField(
        widget=DateInput(), required=False, label="Expires on", help_text="Leave empty if it does not expire."
    )
    file = forms.FileField(
        label="Certificate (PDF)",
        error_messages={"empty": "The file is empty.", "required": "Choose the certificate's PDF file."},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"PDF only, up to {document_max_bytes() // 1048576} MB."


class MemberDefaultsForm(ServiceErrorsMixin, forms.Form):
    facility = forms.ModelChoiceField(
        queryset=Facility.objects.none(), required=False, empty_label="— none —", label="Default ship-to facility"
    )
    fund_code = forms.ModelChoiceField(
        queryset=FundCode.objects.none(), required=False, empty_label="— none —", label="Default fund code"
    )

    def __init__(self, *args, agency: Organization, defaults=None, **kwargs):
        if defaults is not None and "initial" not in kwargs:
            kwargs["initial"] = {"facility": defaults.facility_id, "fund_code": defaults.fund_code_id}
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = selectors.active_facility_list(agency=agency)
        self.fields["fund_code"].queryset = selectors.active_fund_code_list(agency=agency)


class ActiveForm(forms.Form):
    active = forms.TypedChoiceField(choices=[("1", "Activate"), ("0", "Deactivate")], coerce=lambda v: v == "1")
