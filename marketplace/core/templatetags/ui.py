"""Template helpers for USWDS forms."""

from django import template
from django.forms import CheckboxInput, CheckboxSelectMultiple, FileInput, RadioSelect, Select, SelectMultiple, Textarea

from marketplace.core.formatting import money, percent

register = template.Library()


@register.simple_tag
def uswds_widget(field, extra_class="", labelled_by=""):
    """Render a bound field's widget with USWDS classes and aria links to its hint and errors; `extra_class` adds
    classes such as a USWDS input width (`usa-input--md`). `labelled_by` names the field's label by id: USWDS's
    file input JS replaces the input's name with its instructions ("Drag file here or choose from folder"), and
    aria-labelledby keeps the visible label as the name."""
    widget = field.field.widget
    if isinstance(widget, CheckboxInput):
        css = "usa-checkbox__input"
    elif isinstance(widget, (RadioSelect, CheckboxSelectMultiple)):
        css = ""
    elif isinstance(widget, (Select, SelectMultiple)):
        css = "usa-select"
    elif isinstance(widget, Textarea):
        css = "usa-textarea"
    elif isinstance(widget, FileInput):
        css = "usa-file-input"  # USWDS JS (base.html) turns it into a drop zone; without JS, the browser's control
    else:
        css = "usa-input"
    if field.errors and css:
        css += " usa-input--error"
    described = []
    if field.help_text:
        described.append(f"{field.id_for_label}-hint")
    if field.errors:
        described.append(f"{field.id_for_label}-error")
    attrs = {"class": " ".join(c for c in (widget.attrs.get("class", ""), css, extra_class) if c)}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if labelled_by:
        attrs["aria-labelledby"] = labelled_by
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
