"""The co-op is told in plain words what a verified supplier uploaded: "a new W-9", "a new certificate of insurance"."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.core.models import Notification
from suppliers.models import Supplier
from suppliers.vetting.services import supplier_document_upload
from tests.suppliers.conftest import make_pdf

pytestmark = pytest.mark.django_db


def test_staff_notification_names_the_document_kind_as_written(world):
    Supplier.objects.filter(organization=world.supplier).update(vetting_status="verified", cooperative=world.coop)
    supplier = Supplier.objects.get(organization=world.supplier)
    upload = SimpleUploadedFile("w9.pdf", make_pdf(), content_type="application/pdf")

    supplier_document_upload(supplier=supplier, actor=world.catalog_manager, kind="w9", data={}, file=upload)

    titles = set(Notification.objects.filter(user=world.coop_staff).values_list("title", flat=True))
    assert titles == {"Alpha Cells uploaded a new W-9"}
