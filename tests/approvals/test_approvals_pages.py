"""The approver's queue, the decision forms and API, and the signed e-mail link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.core.models import OutgoingEmail
from orders.approvals.services.links import approval_link_path, approval_request_email
from orders.models import ApprovalRequest, PurchaseOrder, Requisition
from tests.approvals.conftest import pending_requisition
from tests.approvals.test_approvals import state


def _queue(world):
    return f"/agencies/{world.agency.slug}/approvals/"


@pytest.mark.django_db
def test_queue_shows_lines_totals_fund_codes_emergency_and_split_flag(client, approvers):
    world = approvers
    earlier = pending_requisition(world, approvers=[])
    requisition = pending_requisition(
        world,
        approvers=[world.approver],
        lines=2,
        is_emergency=True,
        emergency_reason="Hurricane landfall",
        split_flag={"related": [str(earlier.public_id)], "sum": "5200.00", "window_days": 14},
    )
    client.force_login(world.approver)
    body = client.get(_queue(world)).content.decode()
    po = PurchaseOrder.objects.get(requisition=requisition)
    line = po.lines.first()
    assert line.sku in body and line.fund_code.code in body
    assert "Emergency" in body and "Hurricane landfall" in body
    assert "Possible split purchase" in body and "$5,200.00" in body
    assert "$40.00" in body  # 2 lines x 2 x $10
    assert "$16.00" in body  # savings against list ($56 - $40)


@pytest.mark.django_db
def test_queue_query_count_is_constant(client, approvers):
    world = approvers
    pending_requisition(world, approvers=[world.approver])
    client.force_login(world.approver)
    with CaptureQueriesContext(connection) as one:
        client.get(_queue(world))
    for _ in range(4):
        pending_requisition(world, approvers=[world.approver], lines=3)
    with CaptureQueriesContext(connection) as many:
        client.get(_queue(world))
    assert len(many) == len(one)


@pytest.mark.django_db
def test_approve_and_reject_through_the_forms(client, approvers):
    world = approvers
    first = pending_requisition(world, approvers=[world.approver])
    second = pending_requisition(world, approvers=[world.approver])
    client.force_login(world.approver)
    url = f"{_queue(world)}{first.public_id}/approve/"
    assert client.post(url).status_code == 302
    assert Requisition.objects.get(pk=first.pk).status == "approved"

    before = state(second)
    response = client.post(f"{_queue(world)}{second.public_id}/reject/", {"reason": ""})
    assert response.status_code == 400 and "Say why you reject it" in response.content.decode()
    assert state(second) == before
    assert client.post(f"{_queue(world)}{second.public_id}/reject/", {"reason": "Not needed"}).status_code == 302
    assert Requisition.objects.get(pk=second.pk).status == "rejected"


@pytest.mark.django_db
def test_another_agencys_requisition_through_your_own_url_is_404(client, approvers):
    world = approvers
    from tests.approvals.isolation_routes import _pending

    other, _ = _pending(world, other=True)
    before = state(other)
    client.force_login(world.agency_admin)
    assert client.post(f"{_queue(world)}{other.public_id}/approve/").status_code == 404
    api = f"/api/v1/agencies/{world.agency.slug}/orders/{other.public_id}/approve/"
    response = client.post(api)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert state(other) == before


@pytest.mark.django_db
def test_api_refusals_use_the_error_shape(client, approvers):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver])
    base = f"/api/v1/agencies/{world.agency.slug}/orders/{requisition.public_id}"
    before = state(requisition)
    client.force_login(world.approver)
    response = client.post(f"{base}/reject/", {}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
    client.force_login(world.agency_admin)
    response = client.post(f"{base}/approve/")
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_an_approver"
    assert state(requisition) == before

    client.force_login(world.approver)
    listing = client.get(f"/api/v1/agencies/{world.agency.slug}/approvals/").json()
    assert listing["results"][0]["id"] == str(requisition.public_id)
    response = client.post(f"{base}/approve/")
    assert response.status_code == 200
    assert response.json()["status"] == "approved" and response.json()["purchase_orders"][0]["number"]
    client.force_login(world.approver2)
    response = client.post(f"{base}/approve/")
    assert response.status_code == 409 and response.json()["error"]["code"] in ("not_pending", "not_an_approver")


# --- the e-mail link


def _signed(request):
    return approval_link_path(approval_request=request).rstrip("/").rsplit("/", 1)[1]


@pytest.mark.django_db
def test_link_email_get_confirms_and_post_decides_once(client, approvers):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver])
    request = ApprovalRequest.objects.get(requisition=requisition)
    approval_request_email(approval_request=request)
    email = OutgoingEmail.objects.get(to=[world.approver.email])
    # The link the e-mail carries (signed with the second it was made: building it again a second later differs).
    link = re.search(r"(/agencies/[^/\s]+/approvals/link/[^/\s]+/)", email.body)
    assert link is not None and f"/link/{request.token}:" in link[1]
    url = link[1]
    assert url.split(":")[0] == approval_link_path(approval_request=request).split(":")[0]

    response = client.get(url)  # sign-in required
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(world.approver)
    before = state(requisition)
    body = client.get(url).content.decode()
    assert "Nothing is decided until you press a button" in body
    assert state(requisition) == before  # GET never decides
    assert client.post(url, {"decision": "approve"}).status_code == 302
    assert Requisition.objects.get(pk=requisition.pk).status == "approved"

    after = state(requisition)
    response = client.get(url)
    assert response.status_code == 410 and "already been used" in response.content.decode()
    assert client.post(url, {"decision": "approve"}).status_code == 410
    assert state(requisition) == after


@pytest.mark.django_db
def test_link_of_another_user_is_404_and_changes_nothing(client, approvers):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver])
    url = approval_link_path(approval_request=ApprovalRequest.objects.get(requisition=requisition))
    before = state(requisition)
    for user in (world.approver2, world.agency_admin, world.requester):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "approve"}).status_code == 404
    assert state(requisition) == before


@pytest.mark.django_db
def test_expired_and_forged_links_say_so_and_change_nothing(client, approvers):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver])
    request = ApprovalRequest.objects.get(requisition=requisition)
    url = approval_link_path(approval_request=request)
    client.force_login(world.approver)
    before = state(requisition)

    forged = url.rstrip("/")[:-3] + "abc/"
    response = client.post(forged, {"decision": "approve"})
    assert response.status_code == 400 and "not valid" in response.content.decode()
    forged_token = f"/agencies/{world.agency.slug}/approvals/link/{request.token}:xyz:abc/"
    assert client.get(forged_token).status_code == 400

    ApprovalRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert state(requisition) == before


@pytest.mark.django_db
def test_link_after_a_rejection_by_someone_else_says_decided(client, approvers):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver, world.approver2], required=2)
    url = approval_link_path(approval_request=ApprovalRequest.objects.get(approver=world.approver2))
    client.force_login(world.approver)
    client.post(f"{_queue(world)}{requisition.public_id}/reject/", {"reason": "Duplicate"})
    before = state(requisition)
    client.force_login(world.approver2)
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 409 and "already been decided" in response.content.decode()
    assert state(requisition) == before


@pytest.mark.django_db
def test_reject_through_the_link_needs_a_reason(client, approvers):
    world = approvers
    requisition = pending_requisition(world, approvers=[world.approver])
    url = approval_link_path(approval_request=ApprovalRequest.objects.get(requisition=requisition))
    client.force_login(world.approver)
    before = state(requisition)
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 400 and "A reason is required" in response.content.decode()
    assert state(requisition) == before
    assert client.post(url, {"decision": "reject", "reason": "Wrong facility"}).status_code == 302
    assert Requisition.objects.get(pk=requisition.pk).status == "rejected"
