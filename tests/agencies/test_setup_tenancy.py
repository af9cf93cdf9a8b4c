"""Another agency's object through your own agency's URL answers 404 on every set-up route that names an
object (pages and API, reads and writes), and nothing changes."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.agencies import isolation_routes as routes

pytestmark = pytest.mark.django_db

PAGE = "/agencies/city-of-alpha/setup"
API = "/api/v1/agencies/city-of-alpha"

CASES = [
    # (method, path template, builder of the other agency's object, data)
    ("get", PAGE + "/departments/{department_id}/", routes._other_department, None),
    ("post", PAGE + "/departments/{department_id}/", routes._other_department, {"name": "Hijack"}),
    ("post", PAGE + "/departments/{department_id}/active/", routes._other_department, {"active": "0"}),
    ("get", PAGE + "/facilities/{facility_id}/", routes._other_facility, None),
    ("post", PAGE + "/facilities/{facility_id}/active/", routes._other_facility, {"active": "0"}),
    ("get", PAGE + "/fund-codes/{fund_code_id}/", routes._other_fund_code, None),
    ("post", PAGE + "/fund-codes/{fund_code_id}/active/", routes._other_fund_code, {"active": "0"}),
    ("get", PAGE + "/approval-rules/{rule_id}/", routes._other_rule, None),
    ("post", PAGE + "/approval-rules/{rule_id}/active/", routes._other_rule, {"active": "0"}),
    ("post", PAGE + "/tax-certificates/{certificate_id}/withdraw/", routes._other_certificate, {}),
    ("get", PAGE + "/tax-certificates/{certificate_id}/download/", routes._other_certificate, None),
    ("get", PAGE + "/members/{user_id}/", routes._other_member, None),
    ("post", PAGE + "/members/{user_id}/", routes._other_member, {"facility": ""}),
]
API_CASES = [
    ("get", API + "/departments/{department_id}/", routes._other_department, None),
    ("patch", API + "/departments/{department_id}/", routes._other_department, {"is_active": False}),
    ("get", API + "/facilities/{facility_id}/", routes._other_facility, None),
    ("patch", API + "/facilities/{facility_id}/", routes._other_facility, {"name": "Hijack"}),
    ("get", API + "/fund-codes/{fund_code_id}/", routes._other_fund_code, None),
    ("patch", API + "/fund-codes/{fund_code_id}/", routes._other_fund_code, {"is_active": False}),
    ("get", API + "/approval-rules/{rule_id}/", routes._other_rule, None),
    ("patch", API + "/approval-rules/{rule_id}/", routes._other_rule, {"is_active": False}),
    ("post", API + "/tax-certificates/{certificate_id}/withdraw/", routes._other_certificate, None),
    ("get", API + "/members/{user_id}/defaults/", routes._other_member, None),
    ("put", API + "/members/{user_id}/defaults/", routes._other_member, {}),
]


@pytest.mark.parametrize(("method", "path", "build", "data"), CASES, ids=[f"{m} {p}" for m, p, _, _ in CASES])
def test_other_agencys_object_through_own_url_is_404(client, world, method, path, build, data):
    url = path.format(**build(world))
    before = routes._state(world)
    client.force_login(world.agency_admin)
    response = getattr(client, method)(url, data or {})
    assert response.status_code == 404
    assert routes._state(world) == before


@pytest.mark.parametrize(("method", "path", "build", "data"), API_CASES, ids=[f"{m} {p}" for m, p, _, _ in API_CASES])
def test_api_other_agencys_object_through_own_url_is_404(world, method, path, build, data):
    client = APIClient()
    client.force_authenticate(world.agency_admin)
    url = path.format(**build(world))
    before = routes._state(world)
    response = getattr(client, method)(url, data, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert routes._state(world) == before


def test_own_objects_answer_through_the_same_builders(client, world):
    """The probes above are not vacuous: the same URLs with this agency's objects answer 200."""
    client.force_login(world.agency_admin)
    for path, build in [
        (PAGE + "/departments/{department_id}/", routes._department),
        (PAGE + "/facilities/{facility_id}/", routes._facility),
        (PAGE + "/fund-codes/{fund_code_id}/", routes._fund_code),
        (PAGE + "/approval-rules/{rule_id}/", routes._rule),
        (PAGE + "/members/{user_id}/", routes._member),
    ]:
        assert client.get(path.format(**build(world))).status_code == 200
