"""Files kept from a refused upload form, so "Keeps: catalog.xlsx (2.1 MB)" can replace choosing the file again.

A browser never re-sends a file after a form error, so when the upload form is refused for another reason (no
contract chosen) the file is stored as a `KeptUpload` of the supplier, and the page carries a **signed token**
naming it: `<supplier id>:<user id>:<public id>`, signed with the secret key (salt `KEEP_SALT`) and valid for
`KEEP_FOR`. `kept_upload_resolve` accepts a token only for the supplier in the URL and the user who sent the file,
and only while the record exists: a client can neither send a path nor use another tenant's (or colleague's) file.
A good submission turns the kept file into a `CatalogImport` (`kept_upload_consume`); `contracts.kept_upload_sweep`
(Celery beat, hourly) deletes what is left after `KEEP_FOR`.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.core import signing
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from contracts.catalog.imports.parsing import ACCEPTED_EXTENSIONS, MAX_FILE_BYTES
from contracts.models import KeptUpload
from marketplace.core.models import Organization, User

logger = logging.getLogger(__name__)

KEEP_SALT = "contracts.catalog.kept-upload"
KEEP_FOR = timedelta(hours=24)


def keepable(file) -> bool:
    """Worth keeping: a file the upload would accept by name and size (a refused file is not kept)."""
    name = (getattr(file, "name", "") or "").lower()
    size = getattr(file, "size", None)
    return bool(size) and size <= MAX_FILE_BYTES and name.endswith(ACCEPTED_EXTENSIONS)


def kept_upload_create(*, supplier: Organization, actor: User, file) -> KeptUpload:
    name = (getattr(file, "name", "") or "catalog.csv").rsplit("/", 1)[-1][:255]
    kept = KeptUpload(supplier=supplier, created_by=actor, original_name=name, size=file.size)
    file.seek(0)
    kept.file.save(name, file, save=False)
    kept.save()
    return kept


def kept_upload_token(kept: KeptUpload) -> str:
    return signing.dumps(f"{kept.supplier_id}:{kept.created_by_id}:{kept.public_id}", salt=KEEP_SALT, compress=False)


def kept_upload_resolve(*, supplier: Organization, actor: User, token: str) -> KeptUpload | None:
    """The kept file a token names, if it is this supplier's and this user's and still kept; otherwise None."""
    if not token or len(token) > 300:
        return None
    try:
        value = signing.loads(token, salt=KEEP_SALT, max_age=KEEP_FOR)
        supplier_id, user_id, public_id = str(value).split(":")
        key = uuid.UUID(public_id)
    except (signing.BadSignature, ValueError):
        return None
    if supplier_id != str(supplier.pk) or user_id != str(actor.pk):
        return None
    return KeptUpload.objects.for_organization(supplier).filter(public_id=key, created_by=actor).first()


def kept_upload_open(kept: KeptUpload) -> File:
    """The kept file as an upload (named as the supplier named it) for `catalog_import_create`."""
    handle = kept.file.open("rb")
    return File(handle, name=kept.original_name)


def kept_upload_discard(*, kept: KeptUpload) -> None:
    """Forget a kept file: the row now, the stored file once the transaction commits."""
    name = kept.file.name
    storage = kept.file.storage
    kept.delete()
    transaction.on_commit(lambda: storage.delete(name))


def kept_upload_sweep(*, older_than: timedelta = KEEP_FOR) -> int:
    """Delete kept files nobody came back for (idempotent)."""
    cutoff = timezone.now() - older_than
    swept = 0
    for kept in KeptUpload.objects.unscoped().filter(created_at__lt=cutoff).order_by("pk")[:1000]:
        with transaction.atomic():
            kept_upload_discard(kept=kept)
        swept += 1
    return swept
