"""Item pictures: a supplier uploads one for an item (or a catalog import names one in its ZIP); the picture is
checked by content, stored once under its SHA-256, and a worker (`contracts.image_process`) writes the resized
copies. Until they are ready — or if the worker cannot read the file — pages show the category's picture.

Nothing is stored for a refused picture. Files are never deleted: a picture may be shared by several items,
and its name is its content, so keeping it costs nothing but disk.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from contracts.catalog.images.checking import MAX_IMAGE_BYTES, CheckedImage, ImageRejected, check_image
from contracts.catalog.images.derivatives import SIZES, derivative_name, original_name, render_derivatives
from contracts.models import CatalogImage, CatalogItem, ImageStatus
from marketplace.core.errors import ApplicationError
from marketplace.core.models import User
from marketplace.core.services.audit import audit_record
from marketplace.core.services.outbox import enqueue

logger = logging.getLogger(__name__)


def _save_once(name: str, data: bytes) -> None:
    """Content-addressed: a file already there has these very bytes."""
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # a racing writer stored the same bytes first; keep one copy
            default_storage.delete(saved)


def catalog_image_store(*, data: bytes, checked: CheckedImage) -> CatalogImage:
    """Keep a checked picture (once per content) and queue its resizing after commit if it is new.
    Call inside the transaction that makes an item use it."""
    existing = CatalogImage.objects.filter(pk=checked.digest).first()
    if existing is not None:
        return existing
    _save_once(original_name(checked.digest), data)
    try:
        with transaction.atomic():
            image = CatalogImage.objects.create(
                digest=checked.digest,
                format=checked.format,
                width=checked.width,
                height=checked.height,
                size_bytes=checked.size_bytes,
            )
    except IntegrityError:  # the same picture uploaded at the same moment: theirs is ours
        return CatalogImage.objects.get(pk=checked.digest)
    enqueue("contracts.image_process", image.digest)
    return image


def _read_upload(file) -> bytes:
    size = getattr(file, "size", None)
    if size is not None and size > MAX_IMAGE_BYTES:
        raise ImageRejected(f"The picture is {size / 1048576:.1f} MB; the limit is {MAX_IMAGE_BYTES // 1048576} MB.")
    file.seek(0)
    return file.read(MAX_IMAGE_BYTES + 1)


def _refuse(reason: str) -> ApplicationError:
    return ApplicationError("invalid_image", reason, {"image": [reason]})


def _check_open(item: CatalogItem) -> None:
    if not item.contract.is_open:
        state = item.contract.get_status_display().lower()
        message = f"Contract {item.contract.number} is {state}; its catalog cannot change."
        raise ApplicationError("contract_closed", message, status=409)


def catalog_item_image_set(*, item: CatalogItem, actor: User, file) -> CatalogItem:
    """Give one item its own picture (replacing any). Refused with `invalid_image` (nothing stored) when the
    file is not a JPEG/PNG/WebP within the limits."""
    _check_open(item)
    if file is None:
        raise _refuse("Choose a picture to upload (JPEG, PNG or WebP).")
    try:
        data = _read_upload(file)
        checked = check_image(data)
    except ImageRejected as exc:
        raise _refuse(exc.reason)
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().select_related("contract__supplier").get(pk=item.pk)
        before = item.image_id
        image = catalog_image_store(data=data, checked=checked)
        item.image = image
        item.updated_at = timezone.now()
        item.save(update_fields=["image", "updated_at"])
        audit_record(
            actor=actor,
            action="catalog_item.image_set",
            organization=item.contract.supplier,
            obj=item,
            before={"image": before},
            after={"image": image.digest, "format": image.format, "width": image.width, "height": image.height},
        )
    return item


def catalog_item_image_remove(*, item: CatalogItem, actor: User) -> CatalogItem:
    """The item shows its category's picture again."""
    _check_open(item)
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().select_related("contract__supplier").get(pk=item.pk)
        if item.image_id is None:
            raise ApplicationError("unchanged", "This item has no picture of its own.", status=409)
        before = item.image_id
        item.image = None
        item.updated_at = timezone.now()
        item.save(update_fields=["image", "updated_at"])
        audit_record(
            actor=actor,
            action="catalog_item.image_remove",
            organization=item.contract.supplier,
            obj=item,
            before={"image": before},
            after={"image": None},
        )
    return item


def catalog_image_process(*, digest: str) -> str | None:
    """Worker: write the resized copies of a picture, then mark it ready (or failed, with the reason).
    Idempotent: only a picture still `processing` is worked on, and existing files are kept."""
    image = CatalogImage.objects.filter(pk=digest).first()
    if image is None or image.status != ImageStatus.PROCESSING:
        return None
    try:
        with default_storage.open(original_name(digest), "rb") as handle:
            data = handle.read()
        for size, webp in render_derivatives(data).items():
            _save_once(derivative_name(digest, size), webp)
    except ImageRejected as exc:
        return _failed(digest, exc.reason)
    except Exception as exc:  # a damaged file Pillow only notices while decoding every pixel
        logger.warning("catalog image %s: cannot be resized (%s)", digest, exc)
        return _failed(digest, f"The picture cannot be read ({exc.__class__.__name__}). Upload it again.")
    CatalogImage.objects.filter(pk=digest, status=ImageStatus.PROCESSING).update(
        status=ImageStatus.READY, processed_at=timezone.now(), failure=""
    )
    return ImageStatus.READY


def _failed(digest: str, reason: str) -> str:
    CatalogImage.objects.filter(pk=digest, status=ImageStatus.PROCESSING).update(
        status=ImageStatus.FAILED, processed_at=timezone.now(), failure=reason[:300]
    )
    return ImageStatus.FAILED


def derivative_names(digest: str) -> list[str]:
    return [derivative_name(digest, size) for size in SIZES]
