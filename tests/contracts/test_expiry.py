"""Expiry: the sweep expires ended contracts and sends 90/60/30-day notices exactly once each."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest

from contracts.models import Contract
from contracts.services.contracts import contract_expiry_sweep, contract_update
from marketplace.celery import app
from marketplace.core.dates import organization_today
from marketplace.core.models import AuditEvent, Notification
from tests.concurrency import run_at_once
from tests.factories import ContractFactory

RECIPIENTS = 4  # world: coop_staff + coop_admin + the supplier's catalog manager and admin


def _contract(world, days_left: int, **fields):
    today = organization_today(world.coop)
    return ContractFactory(
        cooperative=world.coop,
        supplier=world.supplier,
        term_start=today - timedelta(days=700),
        term_end=today + timedelta(days=days_left),
        **fields,
    )


def _notices(contract):
    return sorted(
        e.after["days"] for e in AuditEvent.objects.filter(action="contract.expiry_notice", object_id=str(contract.pk))
    )


@pytest.mark.django_db
def test_sweep_expires_ended_contracts_as_the_system(world):
    ended = _contract(world, days_left=-1)
    ends_today = _contract(world, days_left=0)
    result = contract_expiry_sweep()
    ended.refresh_from_db()
    ends_today.refresh_from_db()
    assert ended.status == "expired"
    assert ends_today.status == "active"  # the last day of the term still counts
    event = AuditEvent.objects.get(action="contract.expired")
    assert (event.actor, event.actor_label, event.before, event.after) == (
        None,
        "system",
        {"status": "active"},
        {"status": "expired"},
    )
    assert Notification.objects.filter(title__contains="expired", url__contains=ended.slug).count() == RECIPIENTS
    assert set(Notification.objects.values_list("kind", flat=True)) == {"contract"}
    assert result["expired"] == 1
    assert contract_expiry_sweep()["expired"] == 0  # idempotent


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days_left", "notice"), [(120, None), (91, None), (90, 90), (75, 90), (60, 60), (45, 60), (30, 30), (1, 30)]
)
def test_the_tightest_notice_due_is_sent(world, days_left, notice):
    contract = _contract(world, days_left=days_left)
    contract_expiry_sweep()
    assert _notices(contract) == ([notice] if notice else [])
    assert Notification.objects.filter(title__contains="expires in").count() == (RECIPIENTS if notice else 0)


@pytest.mark.django_db
def test_each_notice_is_sent_once_across_runs_and_thresholds(world):
    contract = _contract(world, days_left=89)
    contract_expiry_sweep()
    contract_expiry_sweep()
    assert _notices(contract) == [90]
    assert Notification.objects.count() == RECIPIENTS

    Contract.objects.filter(pk=contract.pk).update(term_end=organization_today(world.coop) + timedelta(days=59))
    contract_expiry_sweep()
    contract_expiry_sweep()
    assert _notices(contract) == [60, 90]
    assert Notification.objects.count() == 2 * RECIPIENTS


@pytest.mark.django_db
def test_renewal_restarts_the_notices(world):
    contract = _contract(world, days_left=25)
    contract_expiry_sweep()
    assert _notices(contract) == [30]
    contract_update(
        contract=contract,
        actor=world.coop_staff,
        data={"term_end": organization_today(world.coop) + timedelta(days=85)},
    )
    contract_expiry_sweep()
    assert _notices(contract) == [30, 90]


@pytest.mark.django_db
def test_drafts_and_terminated_contracts_are_left_alone(world):
    draft = _contract(world, days_left=-5, status="draft")
    terminated = _contract(world, days_left=10, status="terminated")
    contract_expiry_sweep()
    draft.refresh_from_db()
    terminated.refresh_from_db()
    assert (draft.status, terminated.status) == ("draft", "terminated")
    assert not AuditEvent.objects.filter(action__in=["contract.expired", "contract.expiry_notice"]).exists()


def test_the_beat_task_runs_on_a_real_worker(world, worker):
    ended = _contract(world, days_left=-3)
    soon = _contract(world, days_left=20)
    app.send_task("contracts.expiry_sweep")
    deadline = time.time() + 30
    while time.time() < deadline:
        ended.refresh_from_db()
        if ended.status == "expired" and _notices(soon) == [30]:
            break
        time.sleep(0.3)
    else:
        raise AssertionError(f"sweep did not run; worker log:\n{worker.log.read_text()[-3000:]}")

    def sweeps_done():
        return sum(1 for line in worker.log.read_text().splitlines() if "expiry_sweep" in line and "succeeded" in line)

    done = sweeps_done()
    app.send_task("contracts.expiry_sweep")  # a second run changes nothing
    deadline = time.time() + 30
    while time.time() < deadline and sweeps_done() <= done:
        time.sleep(0.2)
    assert sweeps_done() > done, "second sweep did not finish"
    assert _notices(soon) == [30]
    assert AuditEvent.objects.filter(action="contract.expired").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_one_notice(world):
    from contracts.services.contracts import contract_expiry_notice_send

    contract = _contract(world, days_left=50)

    results = run_at_once(*[lambda: contract_expiry_notice_send(contract=contract)] * 2)

    assert sorted(results, key=str) == [60, None]
    assert _notices(contract) == [60]
    assert Notification.objects.count() == RECIPIENTS


def _wait_until_a_backend_waits_for_a_lock(timeout: float = 30) -> None:
    from django.db import connection

    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the sweep never waited for the contract's row lock")


@pytest.mark.django_db(transaction=True)
def test_sweep_logs_a_contract_terminated_while_it_ran(world, caplog):
    """The sweep picks the contract while it is active; a co-op admin terminates it before the sweep gets
    its row lock. The sweep skips it (no expiry, no second event) and says so in the log."""
    import threading

    from django.db import transaction

    from contracts.services.contracts import contract_transition
    from tests.concurrency import in_thread

    ended = _contract(world, days_left=-1)
    locked = threading.Event()

    def terminate_while_the_sweep_waits():
        try:
            with transaction.atomic():
                Contract.objects.select_for_update().get(pk=ended.pk)
                locked.set()
                _wait_until_a_backend_waits_for_a_lock()
                contract_transition(contract=ended, to="terminated", actor=world.coop_admin, reason="Supplier left")
        finally:
            locked.set()  # never leave the test waiting, even if this thread failed

    admin = threading.Thread(target=in_thread(terminate_while_the_sweep_waits))
    admin.start()
    locked.wait()
    with caplog.at_level(logging.WARNING, logger="contracts.services.contracts"):
        result = contract_expiry_sweep()
    admin.join()

    ended.refresh_from_db()
    assert ended.status == "terminated"
    assert result["expired"] == 0
    assert not AuditEvent.objects.filter(action="contract.expired").exists()
    assert [r.getMessage() for r in caplog.records if r.name == "contracts.services.contracts"] == [
        f"expiry sweep skipped contract {ended.pk}: A terminated contract cannot become expired."
    ]
