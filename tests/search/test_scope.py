"""Only items on active contracts that an active co-op membership makes available, usable in the agency's state."""

import pytest

from tests.search.conftest import api, skus

pytestmark = pytest.mark.django_db


def test_browse_lists_the_usable_contracts_items_only(client, shop):
    found = skus(api(client, shop.requester, page_size=200))

    assert set(found) == set(shop.items) | {"FL-1"}


@pytest.mark.parametrize(
    "reason", ["discontinued", "inactive contract", "other co-op", "lapsed membership", "other state"]
)
def test_hidden_items_are_never_found(client, shop, reason):
    item = shop.hidden[reason]

    by_name = api(client, shop.requester, q=item.name)
    assert item.sku not in skus(by_name)
    # Its own word ('Zincchloride', 'Draftonly' …) matches nothing the agency may buy: only the common words do.
    assert by_name.json()["relaxed"] is True and "battery" in by_name.json()["matched_words"]
    assert skus(api(client, shop.requester, q=item.sku)) == []
    client.force_login(shop.requester)
    assert client.get(f"/api/v1/agencies/city-of-alpha/catalog/items/{item.id}/").status_code == 404
    assert client.get(f"/agencies/city-of-alpha/catalog/items/{item.id}/").status_code == 404


def test_a_contract_limited_to_the_agencys_state_is_usable(client, shop):
    assert skus(api(client, shop.requester, q="floridaonly")) == ["FL-1"]


def test_the_other_agency_sees_its_own_coops_contract_not_ours(client, shop):
    client.force_login(shop.other_requester)

    found = skus(client.get("/api/v1/agencies/beta-county/catalog/items/"))

    assert found == ["OC-1"]


def test_an_agency_without_an_active_membership_sees_nothing(client, shop):
    from marketplace.core.models import CoopMembership

    CoopMembership.objects.filter(agency=shop.agency).update(status="lapsed")

    response = api(client, shop.requester, q="battery")

    assert skus(response) == [] and response.json()["count"] == 0


def _term(contract, *, start, end):
    from contracts.models import Contract

    Contract.objects.filter(pk=contract.pk).update(term_start=start, term_end=end)


def test_a_contract_is_searched_only_inside_its_term_on_the_agencys_calendar(client, shop):
    """Decision 0015: a published contract that starts tomorrow, or ended yesterday, sells nothing; its first and
    last days do, counted on the agency's calendar."""
    import datetime as dt

    from contracts.models import Contract
    from marketplace.core.dates import organization_today

    today = organization_today(shop.agency)
    day = dt.timedelta(days=1)
    every = set(shop.items) | {"FL-1"}
    assert set(skus(api(client, shop.requester, page_size=200))) == every

    _term(shop.contract, start=today + day, end=today + 400 * day)
    assert skus(api(client, shop.requester, page_size=200)) == ["FL-1"]
    assert shop.contract.pk not in set(Contract.objects.available_to_agency(shop.agency).values_list("pk", flat=True))
    upcoming = Contract.objects.upcoming_for_agency(shop.agency).values_list("pk", flat=True)
    assert shop.contract.pk in set(upcoming)

    _term(shop.contract, start=today, end=today + 400 * day)  # its first day
    assert set(skus(api(client, shop.requester, page_size=200))) == every
    _term(shop.contract, start=today - 400 * day, end=today)  # its last day
    assert set(skus(api(client, shop.requester, page_size=200))) == every
    _term(shop.contract, start=today - 400 * day, end=today - day)  # ended, still "active" until the sweep runs
    assert skus(api(client, shop.requester, page_size=200)) == ["FL-1"]

    # the day is a parameter of the one choke point: the start day counts, the day before does not
    _term(shop.contract, start=today + day, end=today + 400 * day)
    ids = Contract.objects.available_to_agency(shop.agency, today=today + day).values_list("pk", flat=True)
    assert shop.contract.pk in set(ids)
    ids = Contract.objects.available_to_agency(shop.agency, today=today).values_list("pk", flat=True)
    assert shop.contract.pk not in set(ids)


def test_the_agencys_calendar_decides_not_the_coops(client, shop):
    """Kiritimati (UTC+14) is always at least a day ahead of Pago Pago (UTC−11): a term starting on the agency's
    today is open to it, although the co-op's calendar has not reached that day."""
    from contracts.models import Contract
    from marketplace.core.dates import organization_today

    shop.agency.time_zone = "Pacific/Kiritimati"
    shop.agency.save(update_fields=["time_zone"])
    shop.coop.time_zone = "Pacific/Pago_Pago"
    shop.coop.save(update_fields=["time_zone"])
    agency_today, coop_today = organization_today(shop.agency), organization_today(shop.coop)
    assert agency_today > coop_today
    _term(shop.contract, start=agency_today, end=agency_today.replace(year=agency_today.year + 2))

    assert set(shop.items) <= set(skus(api(client, shop.requester, page_size=200)))
    contract = Contract.objects.get(pk=shop.contract.pk)
    assert contract.status_text_on(coop_today).startswith("Starts ")  # the co-op's pages still say it starts
    assert contract.status_text_on(agency_today) == "Active"
