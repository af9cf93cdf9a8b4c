"""Demo accounts: created once with the demo password, e-mail already verified; re-seeding never resets a password."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from marketplace.core.models import User
from marketplace.demo import data


def demo_user(email: str, full_name: str, title: str = "", *, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, data.DEMO_PASSWORD, full_name=full_name, title=title)
    else:
        User.objects.filter(pk=user.pk).update(full_name=full_name, title=title)
    if superuser and not user.is_superuser:
        User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user
