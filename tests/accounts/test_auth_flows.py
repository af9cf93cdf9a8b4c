"""Sign-up with e-mail verification, password reset, and Redis-backed sign-in rate limiting.

The e-mails go out through the real Celery worker (file backend), so these tests read what a user would get.
"""

import re

import pytest
import redis
from django.conf import settings

from marketplace.core.models import AuditEvent, OutgoingEmail, User


def _link(mail: str, path_fragment: str) -> str:
    match = re.search(r"http://[^\s]+" + re.escape(path_fragment) + r"[^\s]*", mail)
    assert match, mail
    return match.group(0).split("testserver", 1)[-1]


def test_sign_up_sends_a_verification_email_through_the_worker(client, worker):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new.buyer@city.test",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert OutgoingEmail.objects.filter(to=["new.buyer@city.test"]).exists()  # queued in the request, not sent
    [mail] = worker.wait_for_mail(1)
    assert "Subject: [Co-op Marketplace] Please confirm your email address" in mail
    link = _link(mail, "/accounts/confirm-email/")

    client.post(link)

    user = User.objects.get(email="new.buyer@city.test")
    assert user.emailaddress_set.get().verified is True


def test_unverified_user_cannot_sign_in(client, worker):
    client.post(
        "/accounts/signup/",
        {"email": "late@city.test", "password1": "a-long-enough-passphrase", "password2": "a-long-enough-passphrase"},
    )
    client.logout()

    response = client.post("/accounts/login/", {"login": "late@city.test", "password": "a-long-enough-passphrase"})

    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_password_reset_email_and_new_password(client, worker, world):
    client.post("/accounts/password/reset/", {"email": world.requester.email})
    [mail] = worker.wait_for_mail(1)
    link = _link(mail, "/accounts/password/reset/key/")

    key_page = client.get(link)  # allauth moves the key out of the URL before showing the form
    assert key_page.status_code == 302
    response = client.post(
        key_page["Location"], {"password1": "brand-new-passphrase-7", "password2": "brand-new-passphrase-7"}
    )

    assert response.status_code == 302
    world.requester.refresh_from_db()
    assert world.requester.check_password("brand-new-passphrase-7")


@pytest.mark.django_db
def test_tampered_reset_link_says_so_and_changes_nothing(client, world, password):
    uid = "1f"  # allauth uses a base36 user id; this key is not valid for it
    response = client.get(f"/accounts/password/reset/key/{uid}-not-a-real-token/", follow=True)

    assert "The password reset link was invalid" in response.content.decode()
    world.requester.refresh_from_db()
    assert world.requester.check_password(password)


@pytest.mark.django_db
def test_repeated_failed_sign_ins_are_rate_limited_in_redis(client, world, password):
    for _ in range(5):
        client.post("/accounts/login/", {"login": world.requester.email, "password": "wrong"})

    response = client.post("/accounts/login/", {"login": world.requester.email, "password": password})

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.unscoped().filter(action="auth.login_failed").count() == 5
    cache_prefix = settings.CACHES["default"]["KEY_PREFIX"]
    client_redis = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    assert any(b"login_failed" in key for key in client_redis.scan_iter(match=f"{cache_prefix}:*"))


@pytest.mark.django_db
def test_wrong_password_shows_an_error_and_does_not_sign_in(client, world):
    response = client.post("/accounts/login/", {"login": world.requester.email, "password": "nope"})

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()
    assert "_auth_user_id" not in client.session
