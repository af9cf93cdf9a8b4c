"""Tenant pages show times in the organization's own time zone (stored in UTC)."""

import datetime as dt
import zoneinfo

import pytest

from marketplace.core.services.audit import audit_record


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Pacific/Honolulu"])
def test_tenant_pages_show_times_in_the_organizations_time_zone(client, world, zone):
    world.agency.time_zone = zone
    world.agency.save(update_fields=["time_zone"])
    event = audit_record(actor=world.agency_admin, action="probe.tz", organization=world.agency)
    local = event.created_at.astimezone(zoneinfo.ZoneInfo(zone))
    utc = event.created_at.astimezone(dt.UTC)
    client.force_login(world.agency_admin)
    body = client.get(f"/agencies/{world.agency.slug}/audit/").content.decode()
    assert f'datetime="{local.isoformat()}"' in body or local.strftime("%H:%M:%S") in body
    assert utc.strftime("%H:%M:%S") not in body  # never the UTC clock time
