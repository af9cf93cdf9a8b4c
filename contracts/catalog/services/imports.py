"""Catalog imports: upload → validate (worker) → preview → confirm → apply (worker, one transaction).

States: queued → validating → rejected | preview → applying → applied; cancelled (from queued/preview);
failed (the worker died — see `catalog_import_reap` — or an unexpected error). A failed import can be
retried: a new run of the same file. At most one import per contract is applying at a time (a partial
unique constraint); a second confirm is refused with code `import_in_progress`.

Files kept in storage next to the upload, named by the import's public id:
`<id>.rows` — the validated rows as COPY text (what apply loads) and `<id>.errors.csv` — every error.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from contracts.catalog.images.archive import ArchiveRejected, ImageArchive, check_archive_upload
from contracts.catalog.images.checking import ImageRejected, check_image
from contracts.catalog.imports.apply import apply_rows, side_connection
from contracts.catalog.imports.parsing import ACCEPTED_EXTENSIONS, MAX_FILE_BYTES, FileRejected, open_table
from contracts.catalog.imports.validation import (
    CategoryIndex,
    ErrorSink,
    existing_items,
    pending_prices,
    validate_table,
)
from contracts.catalog.services.images import catalog_image_store
from contracts.models import (
    CatalogImage,
    CatalogImport,
    Contract,
    ImportMode,
    ImportStatus,
    PriceChange,
    PriceChangeStatus,
)
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import count_of, money
from marketplace.core.models import User
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.roles import COOP_STAFF_ROLES
from marketplace.core.selectors import organization_users
from marketplace.core.services.audit import audit_record
from marketplace.core.services.notifications import notification_create
from marketplace.core.services.outbox import enqueue

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=2)  # an import whose heartbeat is older is taken as dead (see the reaper)
PROGRESS_EVERY = 5000  # rows between progress/heartbeat updates
# An import of this many rows or more is followed by ANALYZE of the item and price tables (after commit). Until
# autovacuum gets to it, the planner would estimate the new contract's rows from statistics that never saw them
# (a handful), and join them by nested loops: deleting a 100,000-row benchmark contract's price history ran for
# over ten minutes before one statement of it was cancelled.
ANALYZE_AFTER_ROWS = 10_000
_ADVISORY_BASE = 0x43494D << 32  # "CIM": pg advisory lock namespace for applying one import


def _staged_name(imp: CatalogImport) -> str:
    return f"catalog-imports/{imp.public_id}.rows"


def _images_index_name(imp: CatalogImport) -> str:
    """{picture SHA-256: entry in the ZIP} of the pictures the validated rows name (what apply stores)."""
    return f"catalog-imports/{imp.public_id}.images.json"


def report_name(imp: CatalogImport) -> str:
    return f"catalog-imports/{imp.public_id}.errors.csv"


def _store(name: str, content: bytes) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(content))


def _url(imp: CatalogImport) -> str:
    return reverse("supplier-catalog-import", kwargs={"org": imp.supplier.slug, "public_id": imp.public_id})


def _summary(imp: CatalogImport) -> dict:
    return {
        "status": imp.status,
        "mode": imp.mode,
        "file": imp.original_name,
        "contract": imp.contract.number,
        "rows": imp.rows_total,
        "errors": imp.error_count,
        "counts": imp.counts,
    }


def _tell_creator(imp: CatalogImport, title: str, body: str = "") -> None:
    notification_create(
        user=imp.created_by,
        organization=imp.supplier,
        title=title,
        body=body,
        url=_url(imp),
        kind=NotificationKind.CATALOG,
    )


# --- upload --------------------------------------------------------------------------------------------


def _check_images_upload(images) -> str:
    """The ZIP of pictures' name, after the quick checks (size, a real ZIP, safe entry names)."""
    name = (getattr(images, "name", "") or "pictures.zip").rsplit("/", 1)[-1][:255]
    try:
        if not name.lower().endswith(".zip"):
            raise ArchiveRejected("Wrong file type: the pictures must come as one ZIP archive (.zip).")
        check_archive_upload(images, getattr(images, "size", None))
    except ArchiveRejected as exc:
        message = exc.reason + (f" ({exc.value})" if exc.value else "")
        raise ApplicationError("invalid_images", message, {"images": [message]})
    finally:
        images.seek(0)
    return name


def catalog_import_create(
    *,
    contract: Contract,
    actor: User,
    file,
    mode: str = ImportMode.UPSERT,
    run_async: bool = True,
    images=None,
) -> CatalogImport:
    """Store the uploaded file (and the optional ZIP of pictures its image column names) and queue its
    validation. `contract` comes from a supplier-scoped selector."""
    if mode not in ImportMode.values:
        raise ApplicationError("invalid", "Choose upsert or replace.", {"mode": ["Choose upsert or replace."]})
    if not contract.is_open:
        message = f"Contract {contract.number} is {contract.get_status_display().lower()}; its catalog cannot change."
        raise ApplicationError("contract_closed", message, {"contract": [message]}, status=409)
    name = (getattr(file, "name", "") or "catalog.csv").rsplit("/", 1)[-1][:255]
    size = getattr(file, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        message = f"The file is {size / 1048576:.1f} MB; the limit is {MAX_FILE_BYTES // 1048576} MB. Split it."
        raise ApplicationError("file_too_large", message, {"file": [message]})
    if not name.lower().endswith(ACCEPTED_EXTENSIONS):
        message = "Wrong file type: upload a CSV (.csv) or Excel workbook (.xlsx)."
        raise ApplicationError("wrong_file_type", message, {"file": [message]})
    images_name = _check_images_upload(images) if images is not None else ""
    imp = CatalogImport(supplier=contract.supplier, contract=contract, original_name=name, mode=mode, created_by=actor)
    imp.file.save(name, file, save=False)
    if images is not None:
        imp.images_name = images_name
        imp.images.save(images_name, images, save=False)
    imp.save()
    audit_record(
        actor=actor, action="catalog_import.upload", organization=contract.supplier, obj=imp, after=_summary(imp)
    )
    if run_async:
        enqueue("contracts.import_validate", imp.pk)
    return imp


# --- validation (worker) -------------------------------------------------------------------------------


def _claim(import_id: int, *, from_statuses: tuple[str, ...], to: str) -> bool:
    now = timezone.now()
    return bool(
        CatalogImport.objects.unscoped()
        .filter(pk=import_id, status__in=from_statuses)
        .update(status=to, started_at=now, heartbeat_at=now, rows_done=0)
    )


def catalog_import_validate(*, import_id: int) -> str | None:
    """Check every row; end `rejected` (errors stored, report written) or `preview` (diff stored).

    Idempotent: only a queued import (or one whose validation was interrupted) is validated.
    """
    if not _claim(import_id, from_statuses=(ImportStatus.QUEUED, ImportStatus.VALIDATING), to=ImportStatus.VALIDATING):
        return None
    imp = CatalogImport.objects.unscoped().select_related("contract", "supplier", "created_by").get(pk=import_id)
    try:
        return _validate(imp)
    except Exception as exc:
        logger.exception("catalog import %s: validation crashed", imp.pk)
        _fail(imp, from_status=ImportStatus.VALIDATING, message=f"Checking the file failed unexpectedly ({exc}).")
        return ImportStatus.FAILED


def _validate(imp: CatalogImport) -> str | None:
    sink = ErrorSink()
    outcome = None
    with imp.file.open("rb") as handle:
        data = handle.read()
    try:
        table = open_table(data, imp.original_name)
    except FileRejected as exc:
        sink.add_error(exc.error)
        table = None
    if table is not None:
        CatalogImport.objects.unscoped().filter(pk=imp.pk).update(rows_total=table.estimated_rows)

        def progress(done: int) -> None:
            CatalogImport.objects.unscoped().filter(pk=imp.pk, status=ImportStatus.VALIDATING).update(
                rows_done=done, heartbeat_at=timezone.now()
            )

        archive, refused = None, False
        if imp.images:
            try:
                archive = ImageArchive(imp.images.open("rb"))
            except ArchiveRejected as exc:
                sink.add(0, "images", exc.value or imp.images_name, exc.reason)
                refused = True
        try:
            outcome = validate_table(
                table,
                contract=imp.contract,
                mode=imp.mode,
                categories=CategoryIndex.load(),
                existing=existing_items(imp.contract),
                pending=pending_prices(imp.contract),
                sink=sink,
                progress=progress,
                progress_every=PROGRESS_EVERY,
                images=archive,
                images_refused=refused,
            )
        finally:
            if archive is not None:
                archive.close()
            if imp.images:
                imp.images.close()
    del data
    rows = outcome.rows if outcome is not None else 0
    now = timezone.now()
    if sink.count:
        _store(report_name(imp), sink.report_csv().encode("utf-8-sig"))
        fields = {
            "status": ImportStatus.REJECTED,
            "errors": sink.kept,
            "error_count": sink.count,
            "rows_total": rows,
            "rows_done": rows,
            "finished_at": now,
            "heartbeat_at": now,
        }
    else:
        _store(_staged_name(imp), ("\n".join(outcome.staged)).encode("utf-8"))
        if outcome.images:
            _store(_images_index_name(imp), json.dumps(outcome.images).encode("utf-8"))
        fields = {
            "status": ImportStatus.PREVIEW,
            "errors": [],
            "error_count": 0,
            "counts": outcome.counts,
            "preview": outcome.preview,
            "rows_total": rows,
            "rows_done": rows,
            "heartbeat_at": now,
        }
    with transaction.atomic():
        if not CatalogImport.objects.unscoped().filter(pk=imp.pk, status=ImportStatus.VALIDATING).update(**fields):
            return None  # cancelled or reaped meanwhile
        for name, value in fields.items():
            setattr(imp, name, value)
        audit_record(
            actor=None, action=f"catalog_import.{imp.status}", organization=imp.supplier, obj=imp, after=_summary(imp)
        )
        if imp.status == ImportStatus.REJECTED:
            _tell_creator(
                imp,
                f"Catalog file rejected: {imp.original_name}",
                f"{count_of(imp.error_count, 'problem')} found; nothing was changed.",
            )
        else:
            _tell_creator(
                imp,
                f"Catalog file ready to review: {imp.original_name}",
                "Check the preview, then confirm to apply it.",
            )
    return imp.status


# --- supplier decisions --------------------------------------------------------------------------------


def _locked(imp: CatalogImport) -> CatalogImport:
    return CatalogImport.objects.unscoped().select_for_update().select_related("contract", "supplier").get(pk=imp.pk)


def catalog_import_confirm(*, imp: CatalogImport, actor: User, run_async: bool = True) -> CatalogImport:
    """Apply a previewed import (queued for a worker). Refused while another import of the contract applies."""
    with transaction.atomic():
        imp = _locked(imp)
        if imp.status != ImportStatus.PREVIEW:
            raise ApplicationError(
                "not_confirmable",
                f"This import is {imp.get_status_display().lower()}; only a previewed import can be confirmed.",
                status=409,
            )
        if not imp.contract.is_open:
            raise ApplicationError("contract_closed", f"Contract {imp.contract.number} is no longer open.", status=409)
        now = timezone.now()
        try:
            with transaction.atomic():  # savepoint: the unique constraint decides who applies
                CatalogImport.objects.unscoped().filter(pk=imp.pk).update(
                    status=ImportStatus.APPLYING, confirmed_by=actor, heartbeat_at=now, started_at=None, rows_done=0
                )
        except IntegrityError:
            raise ApplicationError(
                "import_in_progress",
                f"Another import for contract {imp.contract.number} is being applied. Wait until it finishes, "
                "then confirm this one (its preview stays ready).",
                status=409,
            )
        imp.refresh_from_db()
        audit_record(
            actor=actor,
            action="catalog_import.confirm",
            organization=imp.supplier,
            obj=imp,
            before={"status": ImportStatus.PREVIEW},
            after={"status": imp.status},
        )
        if run_async:
            enqueue("contracts.import_apply", imp.pk)
    return imp


def catalog_import_cancel(*, imp: CatalogImport, actor: User) -> CatalogImport:
    with transaction.atomic():
        imp = _locked(imp)
        if imp.status not in (ImportStatus.QUEUED, ImportStatus.PREVIEW):
            raise ApplicationError(
                "not_cancellable",
                f"This import is {imp.get_status_display().lower()} and cannot be cancelled.",
                status=409,
            )
        before = imp.status
        imp.status, imp.finished_at = ImportStatus.CANCELLED, timezone.now()
        imp.save(update_fields=["status", "finished_at"])
        audit_record(
            actor=actor,
            action="catalog_import.cancel",
            organization=imp.supplier,
            obj=imp,
            before={"status": before},
            after={"status": imp.status},
        )
    return imp


def catalog_import_retry(*, imp: CatalogImport, actor: User, run_async: bool = True) -> CatalogImport:
    """A new run of a failed import's file (validated again, then previewed as usual)."""
    if imp.status != ImportStatus.FAILED:
        raise ApplicationError(
            "not_retryable",
            f"This import is {imp.get_status_display().lower()}; only a failed import can be retried.",
            status=409,
        )
    if not imp.contract.is_open:
        raise ApplicationError("contract_closed", f"Contract {imp.contract.number} is no longer open.", status=409)
    retry = CatalogImport(
        supplier=imp.supplier, contract=imp.contract, original_name=imp.original_name, mode=imp.mode, created_by=actor
    )
    retry.file.name = imp.file.name
    retry.images.name, retry.images_name = imp.images.name, imp.images_name
    retry.save()
    audit_record(
        actor=actor,
        action="catalog_import.retry",
        organization=imp.supplier,
        obj=retry,
        before={"retry_of": str(imp.public_id)},
        after=_summary(retry),
    )
    if run_async:
        enqueue("contracts.import_validate", retry.pk)
    return retry


# --- apply (worker) ------------------------------------------------------------------------------------


def _fail(imp: CatalogImport, *, from_status: str, message: str) -> bool:
    with transaction.atomic():
        done = (
            CatalogImport.objects.unscoped()
            .filter(pk=imp.pk, status=from_status)
            .update(status=ImportStatus.FAILED, failure=message, finished_at=timezone.now())
        )
        if done:
            imp.status, imp.failure = ImportStatus.FAILED, message
            audit_record(
                actor=None,
                action="catalog_import.failed",
                organization=imp.supplier,
                obj=imp,
                after={"status": imp.status, "failure": message},
            )
            _tell_creator(imp, f"Catalog import failed: {imp.original_name}", message)
    return bool(done)


def _analyze_catalog_tables() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contracts_catalogitem, contracts_pricechange")


def catalog_import_apply(*, import_id: int) -> str | None:
    """Apply a confirmed import in one transaction. Idempotent: only an `applying` import is applied, and a
    run already in progress (holding the import's advisory lock) is left alone."""
    imp = (
        CatalogImport.objects.unscoped()
        .select_related("contract", "supplier", "created_by", "confirmed_by")
        .filter(pk=import_id)
        .first()
    )
    if imp is None or imp.status != ImportStatus.APPLYING:
        return None
    now = timezone.now()
    CatalogImport.objects.unscoped().filter(pk=imp.pk, status=ImportStatus.APPLYING).update(
        started_at=now, heartbeat_at=now, rows_done=0
    )
    with default_storage.open(_staged_name(imp), "rb") as handle:
        staged = handle.read().decode("utf-8")
    lines = staged.split("\n") if staged else []
    del staged
    actor = imp.confirmed_by or imp.created_by
    try:
        with side_connection() as side:

            def progress(done: int) -> None:
                with side.cursor() as cursor:
                    cursor.execute(
                        "UPDATE contracts_catalogimport SET rows_done = %s, heartbeat_at = %s "
                        "WHERE id = %s AND status = 'applying'",
                        [done, timezone.now(), imp.pk],
                    )

            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_ADVISORY_BASE + imp.pk])
                    if not cursor.fetchone()[0]:
                        return None  # another run of this import is applying it
                _store_pictures(imp)
                counts = apply_rows(
                    contract=imp.contract,
                    import_id=imp.pk,
                    actor_id=actor.pk,
                    mode=imp.mode,
                    staged=lines,
                    total=len(lines),
                    progress=progress,
                    superseded_reason=f"Superseded by catalog import {imp.original_name} ({imp.public_id}).",
                )
                finished = timezone.now()
                updated = (
                    CatalogImport.objects.unscoped()
                    .filter(pk=imp.pk, status=ImportStatus.APPLYING)
                    .update(
                        status=ImportStatus.APPLIED,
                        counts=counts,
                        rows_done=len(lines),
                        finished_at=finished,
                        heartbeat_at=finished,
                    )
                )
                if not updated:  # reaped meanwhile: roll everything back
                    raise ApplicationError("import_gone", "The import was no longer applying.")
                imp.status, imp.counts = ImportStatus.APPLIED, counts
                audit_record(
                    actor=actor,
                    action="catalog_import.applied",
                    organization=imp.supplier,
                    obj=imp,
                    after=_summary(imp),
                )
                _tell_creator(
                    imp,
                    f"Catalog updated: {imp.original_name}",
                    f"{counts['added']} added, {counts['changed']} changed, {counts['discontinued']} discontinued; "
                    f"{count_of(counts['pending_created'], 'price increase')} "
                    f"{'waits' if counts['pending_created'] == 1 else 'wait'} for co-op approval.",
                )
                if counts["pending_created"]:
                    _tell_coop(imp, counts["pending_created"])
                staged_name = _staged_name(imp)  # applied: the staged rows are no longer needed
                transaction.on_commit(lambda: default_storage.delete(staged_name))
                if len(lines) >= ANALYZE_AFTER_ROWS:
                    transaction.on_commit(_analyze_catalog_tables)
    except ApplicationError as exc:
        if exc.code != "import_gone":
            _fail(imp, from_status=ImportStatus.APPLYING, message=f"{exc.message} Nothing was applied.")
        return CatalogImport.objects.unscoped().get(pk=imp.pk).status
    except Exception as exc:
        logger.exception("catalog import %s: apply crashed", imp.pk)
        _fail(
            imp,
            from_status=ImportStatus.APPLYING,
            message=f"Applying failed unexpectedly ({exc.__class__.__name__}). Nothing was applied.",
        )
        return ImportStatus.FAILED
    return ImportStatus.APPLIED


def _store_pictures(imp: CatalogImport) -> None:
    """Keep the pictures the validated rows name (inside the apply transaction; a picture already kept is not
    read again). Each is checked again by content; a ZIP that changed since validation fails the apply."""
    name = _images_index_name(imp)
    if not imp.images or not default_storage.exists(name):
        return
    with default_storage.open(name, "rb") as handle:
        wanted: dict[str, str] = json.loads(handle.read())
    missing = set(wanted) - set(CatalogImage.objects.filter(pk__in=list(wanted)).values_list("pk", flat=True))
    if not missing:
        return
    with imp.images.open("rb") as handle:
        archive = ImageArchive(handle)
        try:
            for digest in sorted(missing):
                info = archive.info(wanted[digest])
                try:
                    data = archive.read(info) if info is not None else b""
                    checked = check_image(data)
                except ImageRejected as exc:
                    raise ApplicationError("images_changed", f"{wanted[digest]}: {exc.reason}")
                if checked.digest != digest:
                    raise ApplicationError("images_changed", f"{wanted[digest]} changed since it was checked.")
                catalog_image_store(data=data, checked=checked)
        finally:
            archive.close()


TOLD_INCREASES = 5  # increases listed (with the supplier's reasons) in the co-op's notification
TOLD_REASON_CHARS = 200  # of each reason (the queue shows it whole)


def increases_told(imp: CatalogImport) -> str:
    """The first increases an import asked for, one line each with the supplier's reason (one query)."""
    changes = (
        PriceChange.objects.filter(source_import=imp, status=PriceChangeStatus.PENDING)
        .select_related("item")
        .order_by("item__sku")[:TOLD_INCREASES]
    )
    lines = []
    for change in changes:
        line = f"{change.item.sku}: {money(change.old_price)} → {money(change.new_price)}"
        reason = change.request_reason
        if len(reason) > TOLD_REASON_CHARS:
            reason = reason[:TOLD_REASON_CHARS].rstrip() + "…"
        lines.append(line + (f" (reason: {reason})" if reason else " (no reason given)"))
    return "; ".join(lines)


def _tell_coop(imp: CatalogImport, pending: int) -> None:
    contract = imp.contract
    url = reverse("coop-price-changes", kwargs={"org": contract.cooperative.slug})
    body = f"{imp.supplier.name} asked for {count_of(pending, 'price increase')} in a catalog update"
    listed = increases_told(imp)
    body += (f": {listed}" + ("; …" if pending > TOLD_INCREASES else "") + ".") if listed else "."
    for user in organization_users(organization=contract.cooperative_id, roles=COOP_STAFF_ROLES):
        notification_create(
            user=user,
            organization=contract.cooperative,
            url=url + f"?contract={contract.number}",
            title=f"{count_of(pending, 'price increase')} to review on {contract.number}",
            body=body,
            kind=NotificationKind.CATALOG,
        )


# --- the reaper (Celery beat) --------------------------------------------------------------------------


def catalog_import_reap(*, stale_after: timedelta = STALE_AFTER) -> int:
    """Mark imports whose worker died (no heartbeat for `stale_after`) failed, so they can be retried.

    Nothing partial is visible: apply runs in one transaction, which PostgreSQL rolled back when the
    worker's connection went. An import still being applied (its advisory lock is held) is left alone.
    """
    cutoff = timezone.now() - stale_after
    stale = list(
        CatalogImport.objects.unscoped()
        .filter(status__in=(ImportStatus.VALIDATING, ImportStatus.APPLYING), heartbeat_at__lt=cutoff)
        .select_related("supplier", "created_by")
    )
    reaped = 0
    for imp in stale:
        with transaction.atomic():
            if imp.status == ImportStatus.APPLYING:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_ADVISORY_BASE + imp.pk])
                    if not cursor.fetchone()[0]:
                        continue  # a worker is applying it right now
                if imp.started_at is None:
                    message = "No worker started applying this import within 2 minutes. Nothing was applied."
                else:
                    message = "The worker stopped while applying this import. Nothing was applied."
            else:
                message = "The worker stopped while checking this file. Nothing was changed."
            message += " Use Retry to run it again."
            reaped += _fail_if_stale(imp, cutoff=cutoff, message=message)
    return reaped


def _fail_if_stale(imp: CatalogImport, *, cutoff, message: str) -> int:
    done = (
        CatalogImport.objects.unscoped()
        .filter(pk=imp.pk, status=imp.status, heartbeat_at__lt=cutoff)
        .update(status=ImportStatus.FAILED, failure=message, finished_at=timezone.now())
    )
    if done:
        before = imp.status
        imp.status, imp.failure = ImportStatus.FAILED, message
        audit_record(
            actor=None,
            action="catalog_import.reaped",
            organization=imp.supplier,
            obj=imp,
            before={"status": before},
            after={"status": imp.status, "failure": message},
        )
        _tell_creator(imp, f"Catalog import failed: {imp.original_name}", message)
    return done


# --- synchronous run (manage.py import_catalog, benchmarks) ---------------------------------------------


def catalog_import_run(
    *, contract: Contract, actor: User, file, mode: str = ImportMode.UPSERT, images=None
) -> CatalogImport:
    """Upload, validate and (if clean) apply in this process, without a worker. Returns the final import.
    (New pictures are still resized by a worker: their tasks go through the outbox.)"""
    imp = catalog_import_create(contract=contract, actor=actor, file=file, mode=mode, run_async=False, images=images)
    catalog_import_validate(import_id=imp.pk)
    imp.refresh_from_db()
    if imp.status != ImportStatus.PREVIEW:
        return imp
    imp = catalog_import_confirm(imp=imp, actor=actor, run_async=False)
    catalog_import_apply(import_id=imp.pk)
    imp.refresh_from_db()
    return imp


def catalog_import_report(*, imp: CatalogImport) -> bytes:
    """The error report CSV (every error). Falls back to the stored first errors if the file is gone."""
    name = report_name(imp)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    sink = ErrorSink()
    for error in imp.errors:
        sink.add(error["row"], error["column"], error["value"], error["reason"])
    return sink.report_csv().encode("utf-8-sig")
