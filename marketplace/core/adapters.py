"""django-allauth hooks: account e-mails go out through the Celery worker, not the request."""

from allauth.account.adapter import DefaultAccountAdapter

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
