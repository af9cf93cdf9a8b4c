"""Two-factor sign-in: enrol an authenticator app, then sign in with password and a TOTP code."""

import base64
import hashlib
import hmac
import struct
import time

from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

PERIOD = 30


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s steps), computed the way an authenticator app does."""
    counter = int((time.time() if at is None else at) // PERIOD)
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def fresh_totp(secret: str) -> str:
    """A code that will still be current when the server checks it (waits out the last seconds of a step)."""
    if PERIOD - time.time() % PERIOD < 3:
        time.sleep(PERIOD - time.time() % PERIOD + 0.1)
    return totp(secret)


def wrong_code(secret: str) -> str:
    now = time.time()
    valid = {totp(secret, now + drift) for drift in (-PERIOD, 0, PERIOD)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def test_totp_enrolment_then_sign_in_asks_for_the_code(ui, world, password):
    user = world.requester
    home = f"/agencies/{world.agency.slug}/"
    ui.sign_in(user.email, password)

    # Enrolling is a sensitive action: allauth asks for the password again first.
    ui.goto("/accounts/2fa/totp/activate/", "totp-activate")
    assert ui.path == "/accounts/reauthenticate/"
    ui.page.get_by_label("Password").fill(password)
    ui.page.get_by_role("button", name="Confirm").click()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Activate authenticator app")
    ui.shot("totp-activate-form")
    secret = ui.page.locator("#authenticator_secret").input_value()
    assert len(secret) >= 16

    ui.page.get_by_label("Authenticator code").fill(fresh_totp(secret))
    ui.page.get_by_role("button", name="Activate").click()

    expect(ui.page.get_by_text("Authenticator app activated.")).to_be_visible()
    ui.shot("totp-activated")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1

    ui.sign_out()
    ui.sign_in(user.email, password)

    assert ui.path == "/accounts/2fa/authenticate/"
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    expect(ui.page.get_by_role("button", name="Sign out")).to_have_count(0)

    code_field = ui.page.get_by_label("Code")
    code_field.fill(wrong_code(secret))
    ui.page.get_by_role("button", name="Sign in").click()

    assert ui.path == "/accounts/2fa/authenticate/"
    expect(ui.page.get_by_role("alert")).to_contain_text("Incorrect code.")
    expect(ui.page.get_by_role("button", name="Sign out")).to_have_count(0)
    ui.shot("wrong-code")
    ui.assert_accessible("mfa-authenticate-with-error")

    ui.page.get_by_label("Code").fill(fresh_totp(secret))
    ui.page.get_by_role("button", name="Sign in").click()

    ui.page.wait_for_url(f"**{home}")
    expect(ui.page.get_by_role("heading", level=1)).to_have_text(world.agency.name)
    expect(ui.page.get_by_role("button", name="Sign out")).to_be_visible()
