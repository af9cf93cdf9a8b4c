"""Hostile input on the agreement forms and API (10 KB strings, quotes, NUL bytes, bad dates and ids): a 4xx with
a clear message, never a 500, and nothing stored."""

from __future__ import annotations

import pytest

from agencies.agreements.models import AgreementAcceptance, AgreementVersion
from tests.agreements import helpers

pytestmark = pytest.mark.django_db

HUGE = "x" * 10_240
QUOTES = "'\"; DROP TABLE agencies_agreementversion; --"
PUBLISH = {"label": "2027-1", "title": "Agreement", "body": "Text.", "effective_on": "2027-01-01"}
SIGN = {"signer_name": "Pat", "signer_title": "Mayor", "authorized": "on"}


def _state():
    return (AgreementVersion.objects.count(), AgreementAcceptance.objects.count())


@pytest.mark.parametrize(
    "change",
    [
        {"label": HUGE},
        {"title": HUGE},
        {"label": "a\x00b"},
        {"effective_on": "2027-02-30"},
        {"effective_on": QUOTES},
        {"reaccept_by": "99999-01-01"},
    ],
)
def test_publish_form_and_api_refuse_hostile_input(client, world, change):
    client.force_login(world.coop_staff)
    before = _state()
    page = client.post("/coops/alpha-coop/agreement/", {**PUBLISH, **change})
    assert 400 <= page.status_code < 500
    api = client.post("/api/v1/coops/alpha-coop/agreements/", {**PUBLISH, **change}, content_type="application/json")
    assert api.status_code == 400 and api.json()["error"]["code"] in ("invalid", "bad_request")
    assert _state() == before


def test_a_quoted_label_is_stored_as_text(client, world):
    client.force_login(world.coop_staff)
    response = client.post(
        "/api/v1/coops/alpha-coop/agreements/", {**PUBLISH, "label": QUOTES[:40]}, content_type="application/json"
    )
    assert response.status_code == 201 and AgreementVersion.objects.get().label == QUOTES[:40]


@pytest.mark.parametrize("change", [{"signer_name": HUGE}, {"signer_title": "a\x00b"}, {"authorized": QUOTES}])
def test_sign_form_and_api_refuse_hostile_input(client, world, change):
    version = helpers.version(world.coop)
    client.force_login(world.agency_admin)
    page = client.post(f"/agencies/city-of-alpha/agreement/{version.pk}/accept/", {**SIGN, **change})
    body = {"signer_name": "Pat", "signer_title": "Mayor", "authorized": True, **change}
    api = client.post(
        f"/api/v1/agencies/city-of-alpha/agreements/{version.pk}/accept/", body, content_type="application/json"
    )
    if change.get("authorized") == QUOTES:  # the form reads any text as a ticked box; the API wants a boolean
        assert api.status_code == 400
    else:
        assert page.status_code == 400 and api.status_code == 400
        assert AgreementAcceptance.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/agencies/city-of-alpha/agreement/99999999999999999999/accept/",
        "/agencies/city-of-alpha/agreement/signed/not-a-uuid/pdf/",
        "/api/v1/agencies/city-of-alpha/agreements/2147483648/accept/",
        "/coops/alpha-coop/agreement/-1/",
    ],
)
def test_bad_ids_are_404_not_500(client, world, path):
    client.force_login(world.agency_admin if "/agencies/" in path else world.coop_staff)
    response = client.post(path, SIGN) if path.endswith("accept/") else client.get(path)
    assert response.status_code == 404
