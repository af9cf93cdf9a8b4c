"""Vetting pages: the EIN is shown in full only in the supplier admin's own edit field; refused uploads show the
error summary and store nothing; send back without comments is refused on the page."""

from __future__ import annotations

import pytest

from suppliers.models import Supplier
from suppliers.vetting import services
from suppliers.vetting.models import SupplierDocument
from tests.suppliers.conftest import pdf

pytestmark = pytest.mark.django_db


def test_ein_is_full_only_in_the_admins_edit_field(client, world, invited):
    services.supplier_profile_update(supplier=invited, actor=invited.admin, data={"ein": "12-3456789"})
    client.force_login(invited.admin)
    own = client.get(f"/suppliers/{invited.organization.slug}/profile/").content.decode()
    assert 'value="12-3456789"' in own
    client.force_login(world.coop_staff)
    staff = client.get(f"/coops/alpha-coop/suppliers/{invited.organization.slug}/").content.decode()
    assert "**-***6789" in staff and "3456789" not in staff.replace("**-***6789", "")
    listed = client.get("/api/v1/coops/alpha-coop/suppliers/").content.decode()
    assert "3456789" not in listed.replace("**-***6789", "")


def test_a_refused_upload_shows_the_error_and_stores_nothing(client, invited):
    client.force_login(invited.admin)
    response = client.post(
        f"/suppliers/{invited.organization.slug}/profile/documents/",
        {"kind": "w9", "w9-file": pdf("w9.pdf", b"GIF89a")},
    )
    assert response.status_code == 400
    assert "This is not a PDF file" in response.content.decode() and 'id="error-summary"' in response.content.decode()
    assert not SupplierDocument.objects.exists()


def test_submit_on_the_page_says_what_is_missing(client, invited):
    client.force_login(invited.admin)
    response = client.post(f"/suppliers/{invited.organization.slug}/profile/submit/", follow=True)
    assert "Still missing" in response.content.decode()
    assert Supplier.objects.get(pk=invited.pk).vetting_status == "invited"


def test_send_back_without_comments_is_refused_on_the_page(client, world, invited):
    Supplier.objects.filter(pk=invited.pk).update(vetting_status="submitted")
    client.force_login(world.coop_staff)
    response = client.post(f"/coops/alpha-coop/suppliers/{invited.organization.slug}/send-back/", {"comments": ""})
    assert response.status_code == 400 and 'id="error-summary"' in response.content.decode()
    assert Supplier.objects.get(pk=invited.pk).vetting_status == "submitted"


def test_suspended_supplier_sees_the_reason_on_its_home(client, invited):
    Supplier.objects.filter(pk=invited.pk).update(vetting_status="suspended", suspension_reason="Insurance lapsed.")
    client.force_login(invited.admin)
    body = client.get(f"/suppliers/{invited.organization.slug}/").content.decode()
    assert "Catalog suspended" in body and "Insurance lapsed." in body


def test_a_submitted_profile_shows_the_ein_and_legal_name_read_only(client, world, invited):
    Supplier.objects.filter(pk=invited.pk).update(vetting_status="submitted", ein="12-3456789")
    client.force_login(invited.admin)
    path = f"/suppliers/{invited.organization.slug}/profile/"
    page = client.get(path).content.decode()
    assert 'name="ein"' in page and "disabled" in page.split('name="ein"')[1].split(">")[0]
    response = client.post(path, {"ein": "98-7654321", "legal_name": "Other LLC", "order_desk_email": "d@v.test"})
    assert response.status_code == 302
    supplier = Supplier.objects.get(pk=invited.pk)
    assert (supplier.ein, supplier.order_desk_email) == ("12-3456789", "d@v.test")
    assert supplier.legal_name != "Other LLC"
