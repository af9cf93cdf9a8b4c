"""The account pages speak in sentence case like the rest of the product: locale/en rewrites django-allauth's
title-case words ("Sign Up" is "Create account", as the header says). The compiled catalog (django.mo) must say
what django.po says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import gettext, pgettext

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(r'^(?:msgctxt "([^"]*)"\n)?msgid "([^"]+)"\nmsgstr "([^"]*)"', re.M)


def test_compiled_catalog_matches_the_po_file():
    entries = ENTRY.findall(PO.read_text())
    assert len(entries) > 60
    for context, source, sentence in entries:
        assert sentence != source and not re.search(r" [A-Z][a-z]", sentence), (source, sentence)
        shown = pgettext(context, source) if context else gettext(source)
        assert shown == sentence, f"{source!r} shows {shown!r}, not {sentence!r}: run msgfmt on {PO.name}"


@pytest.mark.django_db
def test_sign_in_and_sign_up_pages_in_sentence_case(client):
    sign_in = client.get("/accounts/login/").content.decode()
    sign_up = client.get("/accounts/signup/").content.decode()
    assert "Sign in" in sign_in and "Remember me" in sign_in
    assert "Create account" in sign_up  # the header's link and the page say the same
    for title_case in ("Sign In", "Remember Me", "Sign Up", "Forgot Password"):
        assert title_case not in sign_in and title_case not in sign_up, title_case
