"""localstripe for the payment tests: `settings.STRIPE_API_BASE` pointed at it for every test here (the server
itself is the session fixture `localstripe_url` in tests/conftest.py, shared with tests/browser)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _stripe_at_localstripe(stripe_at_localstripe):
    return stripe_at_localstripe
