"""django-allauth hooks: account e-mails go out through the Celery worker, not the request."""

from allauth.account.adapter import DefaultAccountAdapter

from .context import request_client_ip
from .services.email import email_queue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []) or []:
            if mimetype == "text/html":
                html = content
        email_queue(
            to=list(message.to),
            subject=message.subject,
            body=message.body,
            html_body=html,
            from_email=message.from_email,
        )

    def is_open_for_signup(self, request):
        # Anyone may create an account; it grants nothing until an organization adds a membership.
        return True

    def get_client_ip(self, request):
        # sign-in rate limits key on the same client IP as the audit log (TRUSTED_PROXIES, see context.py)
        return request_client_ip(request) or super().get_client_ip(request)
