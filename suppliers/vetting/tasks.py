"""Vetting tasks: the daily expiry sweep (Celery beat). A thin wrapper over the service, which is idempotent."""

from celery import shared_task

from suppliers.vetting.services import supplier_expiry_sweep

__all__ = ["expiry_sweep"]


@shared_task(name="suppliers.expiry_sweep")
def expiry_sweep() -> dict[str, int]:
    # each supplier's "today" is its vetting co-op's (or its own) time zone's calendar day
    return supplier_expiry_sweep()
