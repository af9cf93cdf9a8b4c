"""Dates that matter legally (term ends, price effective dates) are the organization's own calendar day."""

import datetime as dt
import zoneinfo

from django.utils import timezone


def organization_today(organization) -> dt.date:
    """Today in `organization`'s time zone (UTC if the zone is unknown)."""
    try:
        zone = zoneinfo.ZoneInfo(organization.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    return timezone.now().astimezone(zone).date()
