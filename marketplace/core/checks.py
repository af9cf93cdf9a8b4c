"""System check: every model with a key to Organization declares how it is scoped.

A model is tenant-owned when it has a ForeignKey to `core.Organization`; it must use a manager built on
`TenantQuerySet` (so reads go through `for_organization()` / `unscoped()`), or say why it is exempt
with `tenant_exempt = "reason"`.
"""

from django.apps import apps
from django.core import checks


def tenant_models_report() -> list[str]:
    from .models import Organization
    from .querysets import TenantQuerySet

    problems = []
    for model in apps.get_models():
        if model._meta.app_label in {"admin", "auth", "contenttypes", "sessions", "account", "mfa"}:
            continue
        org_keys = [
            f
            for f in model._meta.get_fields()
            if (f.many_to_one or f.one_to_one) and f.concrete and f.related_model is Organization
        ]
        if not org_keys or getattr(model, "tenant_exempt", None):
            continue
        queryset_class = type(model._default_manager.get_queryset())
        if not issubclass(queryset_class, TenantQuerySet):
            problems.append(f"{model._meta.label} has a key to Organization but its manager is not a TenantQuerySet")
    return problems


@checks.register(checks.Tags.models)
def check_tenant_models(app_configs, **kwargs):
    return [checks.Error(p, id="core.E001") for p in tenant_models_report()]
