"""Cart forms (HTML): add an item, and change a line. Rules live in the services; these only read the input."""

from django import forms


class CartAddForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.CharField(max_length=20, initial="1")
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class CartLineForm(forms.Form):
    ACTIONS = ("update", "remove", "save", "move", "accept_price")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    quantity = forms.CharField(max_length=20, required=False)


class OrderTemplateForm(forms.Form):
    """A new order template (or its name and description)."""

    name = forms.CharField(
        max_length=150, help_text="What requesters will look for, e.g. “Emergency backup power kit”."
    )
    description = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Optional: when to use it."
    )
    from_cart = forms.BooleanField(
        required=False, label="Start with the items in my cart", help_text="Saved-for-later items are left out."
    )

    def add_service_error(self, exc) -> None:
        for key, errors in exc.fields.items():
            target = key if key in self.fields else None
            for error in errors:
                self.add_error(target, error)
        if not exc.fields:
            self.add_error(None, exc.message)


class OrderTemplateEditForm(forms.Form):
    """One change to a template (the template page's forms): rename, add an item by SKU, change a quantity,
    remove an item, delete the template."""

    ACTIONS = ("rename", "add", "update", "remove", "delete")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    name = forms.CharField(max_length=150, required=False)
    description = forms.CharField(max_length=2000, required=False)
    sku = forms.CharField(max_length=64, required=False)
    item = forms.IntegerField(required=False)
    quantity = forms.CharField(max_length=20, required=False)
