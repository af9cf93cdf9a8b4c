"""`enqueue` publishes only tasks the Celery app knows: a mistyped name fails at once, not in the worker."""

import os
import subprocess
import sys

import pytest
from django.db import transaction

from contracts.catalog.tasks import import_validate
from marketplace.core.models import OutboxTask
from marketplace.core.services.outbox import enqueue
from marketplace.core.tasks import email_send
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db


def test_an_unknown_task_name_raises_and_writes_no_row(django_capture_on_commit_callbacks):
    before = OutboxTask.objects.count()

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(LookupError, match=r"'core\.emial_send'"):
        enqueue("core.emial_send", 1)

    assert OutboxTask.objects.count() == before
    assert callbacks == []  # nothing left to publish after commit


def test_an_unknown_name_rolls_back_the_callers_transaction_with_it():
    before = OutboxTask.objects.count()

    with pytest.raises(LookupError), transaction.atomic():
        enqueue("core.email_send", 1)
        enqueue("contracts.no_such_task", 2)

    assert OutboxTask.objects.count() == before


def test_a_task_object_is_enqueued_under_its_registered_name(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        by_object = enqueue(email_send, 41)
        by_name = enqueue("contracts.import_validate", 42)
        by_other_object = enqueue(import_validate, 43)

    assert OutboxTask.objects.get(pk=by_object.pk).task_name == "core.email_send"
    assert OutboxTask.objects.get(pk=by_name.pk).task_name == "contracts.import_validate"
    assert OutboxTask.objects.get(pk=by_other_object.pk).task_name == "contracts.import_validate"
    assert OutboxTask.objects.get(pk=by_object.pk).args == [41]


def test_a_web_process_knows_every_apps_tasks_without_importing_them():
    """A web process never imports `contracts.tasks` itself; the check must load every app's tasks first."""
    script = (
        "import django, sys; django.setup();"
        "assert 'contracts.tasks' not in sys.modules;"
        "from marketplace.core.services.outbox import registered_task_name as known;"
        "print(known('contracts.packet_build'), known('contracts.import_apply'), known('core.outbox_sweep'))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.test"}

    result = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["contracts.packet_build", "contracts.import_apply", "core.outbox_sweep"]
