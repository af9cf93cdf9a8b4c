"""Contract tasks: the expiry sweep (Celery beat) and compliance packet builds. Thin wrappers over services,
which re-check state and are idempotent."""

from celery import shared_task

from contracts.services import contracts as contract_services
from contracts.services import packets as packet_services

__all__ = ["expiry_sweep", "packet_build"]


@shared_task(name="contracts.expiry_sweep")
def expiry_sweep() -> dict[str, int]:
    return contract_services.contract_expiry_sweep()


@shared_task(name="contracts.packet_build", soft_time_limit=120, time_limit=180)
def packet_build(packet_id: int) -> str | None:
    return packet_services.compliance_packet_build(packet_id=packet_id)
