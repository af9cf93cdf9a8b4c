"""`manage.py import_catalog --contract NUMBER FILE [--images ZIP] [--mode upsert|replace] [--as EMAIL]`

Validates and applies a catalog file in this process (no worker). Exit 0 with a summary when applied;
exit 1 listing every error when the file is rejected (then nothing is applied); exit 2 when applying failed.
"""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from contracts.catalog.services.imports import catalog_import_report, catalog_import_run
from contracts.models import Contract, ImportMode, ImportStatus
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import count_of
from marketplace.core.models import User
from marketplace.core.roles import SUPPLIER_CATALOG_ROLES
from marketplace.core.selectors import organization_users


class Command(BaseCommand):
    help = "Validate and apply a supplier catalog file (CSV or XLSX) to a contract."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV or XLSX file")
        parser.add_argument("--contract", required=True, help="contract number")
        parser.add_argument("--mode", choices=ImportMode.values, default=ImportMode.UPSERT)
        parser.add_argument("--images", help="ZIP of the pictures the file's image column names")
        parser.add_argument(
            "--as", dest="as_email", help="the user recorded as uploader (default: a catalog manager of the supplier)"
        )

    def handle(self, *args, file, contract, mode, as_email, images=None, **options):
        found = Contract.objects.unscoped().select_related("supplier").filter(number=contract).first()
        if found is None:
            raise CommandError(f"No contract numbered {contract}.")
        actor = self._actor(found, as_email)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        images_path = Path(images) if images else None
        if images_path is not None and not images_path.is_file():
            raise CommandError(f"No such file: {images}")
        try:
            with path.open("rb") as handle, contextlib.ExitStack() as stack:
                pictures = None
                if images_path is not None:
                    pictures = File(stack.enter_context(images_path.open("rb")), name=images_path.name)
                imp = catalog_import_run(
                    contract=found, actor=actor, file=File(handle, name=path.name), mode=mode, images=pictures
                )
        except ApplicationError as exc:
            raise CommandError(exc.message)
        if imp.status == ImportStatus.REJECTED:
            reader = csv.reader(io.StringIO(catalog_import_report(imp=imp).decode("utf-8-sig")))
            next(reader, None)
            for row, column, value, reason in reader:
                where = f"row {row}" if row and row != "0" else "file"
                col = f", column {column}" if column else ""
                shown = f" [{value}]" if value else ""
                self.stderr.write(f"{where}{col}{shown}: {reason}")
            message = f"Rejected: {count_of(imp.error_count, 'error')} in {path.name}; nothing was applied."
            raise CommandError(message, returncode=1)
        if imp.status != ImportStatus.APPLIED:
            raise CommandError(f"Import {imp.public_id} {imp.status}: {imp.failure or 'not applied'}", returncode=2)
        c = imp.counts
        self.stdout.write(
            f"Applied {path.name} to {found.number} ({mode}): {imp.rows_total} rows — {c['added']} added, "
            f"{c['changed']} changed, {c['unchanged']} unchanged, {c['decreases']} price decreases applied, "
            f"{c['increases']} price increases waiting for co-op approval, {c['discontinued']} discontinued. "
            f"Import {imp.public_id}."
        )

    def _actor(self, contract: Contract, email: str | None) -> User:
        if email:
            user = User.objects.filter(email__iexact=email, is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {email}.")
            return user
        user = organization_users(organization=contract.supplier, roles=SUPPLIER_CATALOG_ROLES).first()
        if user is None:
            raise CommandError(f"{contract.supplier.name} has no catalog manager; name the uploader with --as EMAIL.")
        return user
