"""Framework hooks (Django auth signals, not domain signals): sign-ins and failed sign-ins are audited."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .services.audit import audit_record


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    attempted = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit_record(actor=None, actor_label=attempted or "unknown", action="auth.login_failed", after={"email": attempted})


@receiver(user_logged_in, dispatch_uid="audit_logged_in")
def audit_logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", obj=user)
