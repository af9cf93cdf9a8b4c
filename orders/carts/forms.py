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
