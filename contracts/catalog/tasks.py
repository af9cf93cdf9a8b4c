"""Catalog import tasks: thin wrappers taking ids; the services re-check state and are idempotent."""

from celery import shared_task

from contracts.catalog.services import images as image_services
from contracts.catalog.services import imports as import_services
from contracts.catalog.services import kept_uploads

__all__ = ["image_process", "import_apply", "import_reap", "import_validate", "kept_upload_sweep"]

# Up to 200,000 rows: generous limits, well past the benchmark's ~10 s for 100,000 rows.
_LIMITS = {"soft_time_limit": 1200, "time_limit": 1260}


@shared_task(name="contracts.import_validate", **_LIMITS)
def import_validate(import_id: int) -> str | None:
    return import_services.catalog_import_validate(import_id=import_id)


@shared_task(name="contracts.import_apply", **_LIMITS)
def import_apply(import_id: int) -> str | None:
    return import_services.catalog_import_apply(import_id=import_id)


@shared_task(name="contracts.import_reap")
def import_reap() -> int:
    return import_services.catalog_import_reap()


@shared_task(name="contracts.image_process", soft_time_limit=120, time_limit=150)
def image_process(digest: str) -> str | None:
    return image_services.catalog_image_process(digest=digest)


@shared_task(name="contracts.kept_upload_sweep")
def kept_upload_sweep() -> int:
    return kept_uploads.kept_upload_sweep()
