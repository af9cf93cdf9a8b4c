"""Template helpers for USWDS forms."""

from django import template
from django.forms import CheckboxInput, CheckboxSelectMultiple, RadioSelect, Select, SelectMultiple, Textarea

from marketplace.core.formatting import money, percent

register = template.Library()


@register.simple_tag
def uswds_widget(field):
    """Render a bound field's widget with USWDS classes and aria links to its hint and errors."""
    widget = field.field.widget
    if isinstance(widget, CheckboxInput):
        css = "usa-checkbox__input"
    elif isinstance(widget, (RadioSelect, CheckboxSelectMultiple)):
        css = ""
    elif isinstance(widget, (Select, SelectMultiple)):
        css = "usa-select"
    elif isinstance(widget, Textarea):
        css = "usa-textarea"
    else:
        css = "usa-input"
    if field.errors and css:
        css += " usa-input--error"
    described = []
    if field.help_text:
        described.append(f"{field.id_for_label}-hint")
    if field.errors:
        described.append(f"{field.id_for_label}-error")
    attrs = {"class": f"{widget.attrs.get('class', '')} {css}".strip()}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def role_labels(roles) -> str:
    """{'coop_staff', 'coop_admin'} -> 'Co-op admin, Co-op staff'."""
    from marketplace.core.roles import Role

    return ", ".join(sorted(Role(r).label for r in roles if r in Role.values))


@register.filter
def as_json(value) -> str:
    """Audit before/after values as compact JSON (escaped by the template engine)."""
    import json

    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


register.filter("money", money)
register.filter("percent", percent)
