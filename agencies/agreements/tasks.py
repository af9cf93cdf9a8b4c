"""Membership-agreement tasks: thin wrappers that take ids and call idempotent services."""

from celery import shared_task

from agencies.agreements import services

__all__ = ["agreement_pdf_render"]


@shared_task(
    name="agencies.agreement_pdf_render",
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=6,
    soft_time_limit=120,
    time_limit=180,
)
def agreement_pdf_render(acceptance_id: int) -> str | None:
    return services.agreement_pdf_render(acceptance_id=acceptance_id)
