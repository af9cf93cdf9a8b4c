"""The audit log page reads like a record, not JSON: changed fields by name with old → new values formatted the
house way, objects by name with a link only where the viewer may open them, filters, pages, and hostile input
refused with a message (never a 500)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from marketplace.core.audit_log import action_label, format_value
from marketplace.core.models import AuditEvent
from marketplace.core.services.audit import audit_record
from tests.factories import CatalogItemFactory, ContractFactory, FacilityFactory, PriceChangeFactory

pytestmark = pytest.mark.django_db

PAGE = "/agencies/city-of-alpha/audit/"


def _page(client, user, params=None, url=PAGE):
    client.force_login(user)
    response = client.get(url, params or {})
    return response, response.content.decode()


def _text(html: str) -> str:
    """The page's text with tags dropped and white space squeezed (what a reader sees, in order)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _price_change(world, *, coop=None, supplier=None):
    contract = ContractFactory(cooperative=coop or world.coop, supplier=supplier or world.supplier, number="GA-17")
    item = CatalogItemFactory(contract=contract, sku="BCB-100589", contract_price="12.00")
    return PriceChangeFactory(item=item, old_price="12.00", new_price="1234.5")


# --- diffs -------------------------------------------------------------------------------------------------------


def test_a_change_shows_only_the_changed_fields_by_name_with_old_and_new_values(client, world):
    facility = FacilityFactory(agency=world.agency, name="Fire Station 3")
    audit_record(
        actor=world.agency_admin,
        action="agency.facility.updated",
        organization=world.agency,
        obj=facility,
        before={"name": "Fire Station 3", "is_active": True, "postal_code": "32000"},
        after={"name": "Fire Station 3", "is_active": False, "postal_code": "32001"},
    )

    response, html = _page(client, world.agency_admin)

    text = _text(html)
    assert response.status_code == 200
    assert "Facility: updated" in text
    assert "Is active was Yes → , now No" in text
    assert "32000 → , now 32001" in text
    assert "<dt>Name</dt>" not in html  # unchanged: not shown
    assert "{&quot;" not in html and "is_active" not in html


def test_money_dates_and_times_are_written_the_house_way_in_the_organizations_zone(client, world):
    world.agency.time_zone = "America/Chicago"
    world.agency.save(update_fields=["time_zone"])
    change = _price_change(world)
    audit_record(
        actor=world.agency_admin,
        action="invoice.created",
        organization=world.agency,
        after={
            "total": "1234.5",
            "invoice_date": "2026-12-01",
            "expires_at": "2026-12-15T18:05:00+00:00",
            "tax_exempt": True,
        },
    )
    audit_record(
        actor=world.supplier_admin,
        action="price_change.request",
        organization=world.supplier,
        obj=change,
        before={"contract_price": "12.00"},
        after={"contract_price": "1234.50"},
    )

    _, agency_html = _page(client, world.agency_admin)
    _, supplier_html = _page(client, world.supplier_admin, url="/suppliers/alpha-cells/audit/")

    agency_text = _text(agency_html)
    assert "Total $1,234.50" in agency_text
    assert "Invoice date Dec 1, 2026" in agency_text
    assert "Expires at Dec 15, 2026, 12:05 PM CST" in agency_text  # 18:05 UTC in Chicago
    assert "Tax exempt Yes" in agency_text
    assert "$12.00 → , now $1,234.50" in _text(supplier_html)


def test_format_value_keeps_masked_values_and_rates_as_they_are():
    assert format_value("**-***8281", key="ein") == ["**-***8281"]
    assert format_value("0.0200", key="admin_fee_rate") == ["0.0200"]
    assert format_value("51.1", key="amount") == ["$51.10"]
    assert format_value(False, key="is_emergency") == ["No"]
    assert format_value(None, key="facility") == ["—"]
    assert format_value([{"sku": "BCB-1", "quantity": 2}], key="lines") == ["SKU BCB-1, Quantity 2"]
    assert format_value("line one\nline two", key="remit_to") == ["line one", "line two"]
    assert format_value(["supplier_admin", "order_desk"], key="roles") == ["Supplier admin, Order desk"]
    assert format_value(7707, key="size_bytes") == ["7.5 KB"]


def test_a_masked_ein_stays_masked_on_the_page(client, world):
    audit_record(
        actor=world.supplier_admin,
        action="supplier.profile.updated",
        organization=world.supplier,
        before={"ein": ""},
        after={"ein": "**-***8281"},
    )

    _, html = _page(client, world.supplier_admin, url="/suppliers/alpha-cells/audit/")

    assert "EIN was — → , now **-***8281" in _text(html)


def test_created_and_removed_events_list_their_values(client, world):
    audit_record(
        actor=world.agency_admin,
        action="agency.department.created",
        organization=world.agency,
        after={"code": "PW", "name": "Public Works", "is_active": True},
    )
    audit_record(
        actor=world.agency_admin,
        action="order_template.deleted",
        organization=world.agency,
        before={"name": "Backup power kit", "lines": [{"sku": "BCB-100976", "quantity": 1}]},
    )

    _, html = _page(client, world.agency_admin)

    text = _text(html)
    assert "Department: created" in text and "Code PW Name Public Works Is active Yes" in text
    assert "Order template: deleted" in text
    assert "Values before the change: Name Backup power kit Lines SKU BCB-100976, Quantity 1" in text


def test_actions_read_as_words():
    assert action_label("purchase_order.pending_approval") == "Purchase order: pending approval"
    assert action_label("agency.fund_code.created") == "Fund code: created"
    assert action_label("invoice.pdf_ready") == "Invoice: PDF ready"
    assert action_label("auth.login_failed") == "Sign-in failed"


# --- names and links ---------------------------------------------------------------------------------------------


def test_objects_are_named_and_linked_to_their_page(client, world):
    facility = FacilityFactory(agency=world.agency, name="Fire Station 3")
    audit_record(actor=world.agency_admin, action="agency.facility.created", organization=world.agency, obj=facility)

    _, html = _page(client, world.agency_admin)

    url = f"/agencies/city-of-alpha/setup/facilities/{facility.pk}/"
    assert f'<a class="usa-link audit-object" href="{url}">Facility Fire Station 3</a>' in html
    assert client.get(url).status_code == 200  # the link opens


def test_a_price_change_is_named_by_sku_and_prices_for_the_supplier_and_its_coop(client, world):
    change = _price_change(world)
    for organization in (world.supplier, world.coop):
        audit_record(actor=world.coop_admin, action="price_change.approve", organization=organization, obj=change)

    _, supplier_html = _page(client, world.supplier_admin, url="/suppliers/alpha-cells/audit/")
    _, coop_html = _page(client, world.coop_admin, url="/coops/alpha-coop/audit/")

    label = "Price change BCB-100589 $12.00 → $1,234.50"
    assert f'href="/suppliers/alpha-cells/catalog/items/{change.item_id}/">{label}</a>' in supplier_html
    assert f'href="/coops/alpha-coop/price-changes/">{label}</a>' in coop_html
    assert "PriceChange object" not in supplier_html + coop_html


def test_another_tenants_object_is_never_linked_nor_named_from_live_data(client, world):
    theirs = FacilityFactory(agency=world.other_agency, name="Their depot")
    audit_record(
        actor=world.agency_admin,
        action="agency.facility.mislabelled",
        organization=world.agency,
        obj=theirs,
    )
    theirs.name = "Their renamed depot"
    theirs.save(update_fields=["name"])

    _, html = _page(client, world.agency_admin)

    assert f"/setup/facilities/{theirs.pk}/" not in html
    assert "Their renamed depot" not in html  # not read from the other tenant's live row
    assert "Facility Their depot" in html  # the name written at the time stays


def test_the_operators_log_links_objects_to_the_django_admin(client, world):
    world.outsider.is_staff = True
    world.outsider.save(update_fields=["is_staff"])
    facility = FacilityFactory(agency=world.agency, name="Fire Station 3")
    audit_record(actor=world.agency_admin, action="agency.facility.created", organization=world.agency, obj=facility)

    _, html = _page(client, world.outsider, url="/staff/audit/")

    assert f'href="/admin/agencies/facility/{facility.pk}/change/">Facility Fire Station 3</a>' in html
    assert "City of Alpha" in html  # the organization of each event, on the log of every organization


def test_an_old_row_with_djangos_default_text_is_named_by_type(client, world):
    AuditEvent.objects.create(
        actor=world.agency_admin,
        actor_label=world.agency_admin.email,
        organization=world.agency,
        action="thing.done",
        object_type="orders.payment",
        object_id="2006",
        object_repr="Payment object (2006)",
    )

    _, html = _page(client, world.agency_admin)

    assert "Payment #2006" in html and "Payment object" not in html


# --- filters and pages -------------------------------------------------------------------------------------------


def test_filters_narrow_by_dates_person_action_type_and_name(client, world):
    facility = FacilityFactory(agency=world.agency, name="Fire Station 3")
    audit_record(actor=world.requester, action="orders.cart_updated", organization=world.agency)
    audit_record(actor=world.agency_admin, action="agency.facility.created", organization=world.agency, obj=facility)
    today = timezone.localtime(timezone.now(), timezone=dt.UTC).date()
    client.force_login(world.agency_admin)

    def actions(params):
        response = client.get(PAGE, params)
        assert response.status_code == 200
        return re.findall(r'<span class="text-bold">([^<]+)</span>', response.content.decode())

    assert actions({"action": "orders.cart_updated"}) == ["Orders: cart updated"]
    assert actions({"actor": "admin@alpha"}) == ["Facility: created"]
    assert actions({"object_type": "agencies.facility"}) == ["Facility: created"]
    assert actions({"q": "station 3"}) == ["Facility: created"]
    assert actions({"date_from": (today + dt.timedelta(days=2)).isoformat()}) == []
    assert len(actions({"date_to": (today + dt.timedelta(days=2)).isoformat()})) == 2
    body = client.get(PAGE, {"q": "nothing like this"}).content.decode()
    assert "No events match these filters." in body and "Clear filters" in body


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "2026-13-45"}, "date_from", "Enter a valid date."),
        ({"date_from": "2026-12-05", "date_to": "2026-12-01"}, "date_to", "on or after the start date"),
        ({"q": "x" * 10_000}, "q", "at most 100 characters"),
        ({"actor": "y" * 10_000}, "actor", "at most 100 characters"),
        ({"action": "no.such_action"}, "action", "Select a valid choice"),
        ({"object_type": "core.nothing"}, "object_type", "Select a valid choice"),
    ],
)
def test_a_bad_filter_is_a_400_with_a_message_and_changes_nothing(client, world, params, field, message):
    audit_record(actor=world.agency_admin, action="agency.facility.created", organization=world.agency)
    client.force_login(world.agency_admin)  # a sign-in is audited: count after it
    before = AuditEvent.objects.count()

    response = client.get(PAGE, params)
    html = response.content.decode()

    assert response.status_code == 400
    assert "Please correct 1 problem" in html and f'id="id_{field}-error"' in html and message in html
    assert "<table" not in html and "Correct the filters above to see the log." in html
    assert AuditEvent.objects.count() == before


def test_a_nul_byte_in_a_filter_is_refused_before_the_page(client, world):
    response, html = _page(client, world.agency_admin, {"q": "a\x00b"})

    assert response.status_code == 400
    assert "Audit log" not in html


def test_pages_of_fifty_newest_first_keep_the_filters(client, world):
    for n in range(55):
        audit_record(actor=world.agency_admin, action="orders.cart_updated", organization=world.agency, after={"n": n})

    _, html = _page(client, world.agency_admin, {"action": "orders.cart_updated"})
    second = client.get(PAGE, {"action": "orders.cart_updated", "page": "2"}).content.decode()

    assert "55 events match these filters, newest first (page 1 of 2)" in _text(html)
    assert html.count('class="audit-changes"') == 50
    assert _text(html).index("N 54") < _text(html).index("N 53")  # newest first
    assert "action=orders.cart_updated&amp;page=2" in html
    assert second.count('class="audit-changes"') == 5 and "N 0" in _text(second)
    assert client.get(PAGE, {"page": "999"}).status_code == 200  # past the end: the last page, not an error


def test_query_count_does_not_grow_with_the_page(
    client, world, django_assert_num_queries, django_assert_max_num_queries
):
    def grow(n):
        for _ in range(n):
            facility = FacilityFactory(agency=world.agency)
            audit_record(
                actor=world.agency_admin, action="agency.facility.created", organization=world.agency, obj=facility
            )
            audit_record(actor=world.agency_admin, action="x.y", organization=world.agency, obj=world.agency)

    client.force_login(world.agency_admin)
    grow(1)
    with django_assert_max_num_queries(20) as one:
        assert client.get(PAGE).status_code == 200
    grow(30)
    with django_assert_num_queries(len(one)):
        assert client.get(PAGE).status_code == 200


# --- CSV for auditors --------------------------------------------------------------------------------------------


def _csv(response):
    import csv
    import io

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_is_the_filtered_log_in_words_with_formulas_neutralised(client, world):
    facility = FacilityFactory(agency=world.agency, name='=HYPERLINK("http://evil")')
    audit_record(
        actor=world.agency_admin,
        action="agency.facility.created",
        organization=world.agency,
        obj=facility,
        after={"name": facility.name, "is_active": True},
    )
    audit_record(actor=world.requester, action="invoice.created", organization=world.agency, after={"total": "51.1"})
    audit_record(actor=world.other_agency_admin, action="agency.facility.created", organization=world.other_agency)
    client.force_login(world.agency_admin)

    rows = _csv(client.get("/agencies/city-of-alpha/audit/export.csv", {"object_type": "agencies.facility"}))
    every = _csv(client.get("/agencies/city-of-alpha/audit/export.csv"))

    assert rows[0][:5] == ["When", "Person", "Organization", "Action", "Action code"]
    assert len(rows) == 2  # the header and the one facility event the filter keeps
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Action"] == "Facility: created" and row["Action code"] == "agency.facility.created"
    assert row["Object"] == 'Facility =HYPERLINK("http://evil")'
    assert row["Changes"] == 'Name: =HYPERLINK("http://evil"); Is active: Yes'  # starts with "Name": not a formula
    assert row["When"].endswith("-05:00") or row["When"].endswith("-04:00")  # the agency's zone (New York)
    assert world.other_agency_admin.email not in str(every)
    assert any(r[3] == "Invoice: created" and "Total: $51.10" in r[8] for r in every[1:])


def test_a_csv_cell_that_starts_like_a_formula_is_quoted(client, world):
    audit_record(actor=world.agency_admin, action="thing.done", organization=world.agency, after={"note": "x"})
    AuditEvent.objects.create(
        actor_label="=cmd|' /C calc'!A0",
        organization=world.agency,
        action="thing.done",
    )
    client.force_login(world.agency_admin)

    rows = _csv(client.get("/agencies/city-of-alpha/audit/export.csv"))

    assert "'=cmd|' /C calc'!A0" in [r[1] for r in rows]


def test_a_bad_filter_on_the_csv_is_a_400_in_words(client, world):
    client.force_login(world.agency_admin)

    response = client.get("/agencies/city-of-alpha/audit/export.csv", {"date_from": "yesterday"})

    assert response.status_code == 400
    assert "From: Enter a valid date." in response.content.decode()


def test_the_operators_csv_is_refused_to_everyone_else(client, world):
    client.force_login(world.coop_admin)

    assert client.get("/staff/audit/export.csv").status_code == 403


def test_the_page_links_to_the_csv_with_its_filters(client, world):
    audit_record(actor=world.agency_admin, action="agency.facility.created", organization=world.agency)

    _, html = _page(client, world.agency_admin, {"action": "agency.facility.created", "page": "1"})

    assert 'href="/agencies/city-of-alpha/audit/export.csv?action=agency.facility.created"' in html


# --- reachable -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("admin", "member", "home", "log"),
    [
        ("agency_admin", "requester", "/agencies/city-of-alpha/", "/agencies/city-of-alpha/audit/"),
        ("supplier_admin", "catalog_manager", "/suppliers/alpha-cells/", "/suppliers/alpha-cells/audit/"),
        ("coop_admin", "coop_staff", "/coops/alpha-coop/", "/coops/alpha-coop/audit/"),
    ],
)
def test_an_admins_home_links_to_the_log_and_a_members_does_not(client, world, admin, member, home, log):
    client.force_login(getattr(world, admin))
    assert f'href="{log}"' in client.get(home).content.decode()

    client.force_login(getattr(world, member))
    assert f'href="{log}"' not in client.get(home).content.decode()
    assert client.get(log).status_code == 403


def test_the_operator_home_links_to_the_log_of_every_organization(client, world):
    world.outsider.is_staff = True
    world.outsider.save(update_fields=["is_staff"])
    client.force_login(world.outsider)

    assert 'href="/staff/audit/"' in client.get("/operator/").content.decode()
