"""The public front page: live figures computed from contracts in force, the featured contract chosen by a co-op (or
the one with the most items), a catalog preview, the paths to join, an empty install that reads plainly, and a
bounded number of queries (the facts are cached for a minute)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contracts.front_page import CACHE_KEY, front_page_compute
from contracts.models import Contract
from contracts.services.contracts import contract_update
from marketplace.core.errors import ApplicationError
from marketplace.core.models import AuditEvent
from marketplace.core.roles import OrgKind
from suppliers.models import Supplier
from tests.contracts.test_contract_pages import FORM
from tests.factories import (
    AgencyFactory,
    CatalogItemFactory,
    ContractFactory,
    CoopMembershipFactory,
    OrganizationFactory,
    StoreLocationFactory,
    SupplierFactory,
)

pytestmark = pytest.mark.django_db


def _items(contract, *prices, status="active", lead_time_days=None):
    """One item per (list, contract) price pair."""
    return [
        CatalogItemFactory(
            contract=contract, list_price=lp, contract_price=cp, status=status, lead_time_days=lead_time_days
        )
        for lp, cp in prices
    ]


def _page(client) -> str:
    cache.delete(CACHE_KEY)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _figures(html: str) -> dict[str, str]:
    """The figures list as {label: value}."""
    block = html.split('class="front-figures"', 1)[1].split("</dl>", 1)[0]
    return {
        re.sub(r"\s+", " ", dt_).strip(): dd.strip()
        for dt_, dd in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block, flags=re.S)
    }


@pytest.fixture
def in_force(world):
    """world.coop's contract with world.supplier: 40% and 10% off list, one discontinued item, two local stores."""
    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="FRONT-1", title="Cells")
    _items(contract, ("20.00", "12.00"), ("10.00", "9.00"))
    _items(contract, ("100.00", "1.00"), status="discontinued")
    StoreLocationFactory(supplier=world.supplier, state="FL")
    StoreLocationFactory(supplier=world.supplier, state="GA")
    StoreLocationFactory(supplier=world.supplier, state="TX", locally_owned=False)
    StoreLocationFactory(supplier=world.supplier, state="AL", is_active=False)
    return contract


def test_figures_count_only_contracts_in_force(client, world, in_force):
    today = timezone.localdate()
    noise = OrganizationFactory(kind=OrgKind.SUPPLIER, name="Noise Supply")
    SupplierFactory(organization=noise)
    for status, start, end in (
        ("draft", today, today + dt.timedelta(days=30)),
        ("terminated", today - dt.timedelta(days=30), today + dt.timedelta(days=30)),
        ("expired", today - dt.timedelta(days=60), today - dt.timedelta(days=1)),
        ("active", today + dt.timedelta(days=10), today + dt.timedelta(days=400)),  # published, not started yet
    ):
        contract = ContractFactory(
            cooperative=world.coop, supplier=noise, status=status, term_start=start, term_end=end
        )
        _items(contract, ("50.00", "5.00"))
    suspended = ContractFactory(cooperative=world.other_coop, supplier=world.other_supplier)
    _items(suspended, ("50.00", "5.00"))
    StoreLocationFactory(supplier=world.other_supplier, state="NC")
    StoreLocationFactory(supplier=noise, state="SC")
    Supplier.objects.filter(organization=world.other_supplier).update(vetting_status="suspended")

    figures = _figures(_page(client))

    assert figures == {
        "Contract in force": "1",
        "Member agencies": "2",  # world.agency and world.other_agency (active memberships)
        "Items on contract": "2",
        "Average discount off list": "25.0%",  # (40% + 10%) / 2
        "Locally owned stores": "2",
    }

    # The supplier is verified again, and another co-op member joins: the numbers follow the data.
    Supplier.objects.filter(organization=world.other_supplier).update(vetting_status="verified")
    CoopMembershipFactory(cooperative=world.other_coop, agency=AgencyFactory().organization)
    CoopMembershipFactory(cooperative=world.coop, agency=AgencyFactory().organization, status="applied")

    html = _page(client)

    assert _figures(html) == {
        "Contracts in force": "2",
        "Member agencies": "3",
        "Items on contract": "3",
        "Average discount off list": "46.7%",  # (40 + 10 + 90) / 3
        "Locally owned stores": "3",
    }
    assert "Florida, Georgia and North Carolina" in html
    assert "About 47% below list" in html


def test_figures_are_cached_for_a_minute(client, world, in_force):
    assert _figures(_page(client))["Items on contract"] == "2"
    _items(in_force, ("30.00", "15.00"))

    assert _figures(client.get("/").content.decode())["Items on contract"] == "2"  # from the cache
    assert _figures(_page(client))["Items on contract"] == "3"  # recomputed


def test_featured_falls_back_to_the_contract_with_the_most_items(client, world, in_force):
    bigger = ContractFactory(cooperative=world.other_coop, supplier=world.other_supplier, number="BIG-7", title="Lamps")
    _items(bigger, ("10.00", "7.00"), ("10.00", "7.00"), ("10.00", "7.00"))

    html = _page(client)
    featured = html.split('id="featured-heading"', 1)[1].split("</section>", 1)[0]

    assert "Featured contract</h2>" in html
    assert "Contract BIG-7 · Beta Co-op</p>" in featured
    assert "chosen by the co-op" not in featured
    assert 'href="/contracts/big-7/"' in featured
    assert "FRONT-1" not in featured
    assert "<strong>30.0%</strong> average discount off list" in featured
    assert "Delivered by the supplier (no local stores listed)" in featured
    assert "A few of the 3 items on contract BIG-7" in html


def test_co_op_staff_feature_a_contract_from_the_contract_form(client, world, in_force):
    bigger = ContractFactory(cooperative=world.other_coop, supplier=world.other_supplier, number="BIG-7")
    _items(bigger, ("10.00", "7.00"), ("10.00", "7.00"), ("10.00", "7.00"))
    client.force_login(world.coop_staff)
    form = {**FORM, "number": "FRONT-1", "supplier": world.supplier.pk, "featured": "on"}

    response = client.post(f"/coops/alpha-coop/contracts/{in_force.slug}/edit/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    in_force.refresh_from_db()
    assert in_force.featured is True
    event = AuditEvent.objects.get(action="contract.updated", object_id=str(in_force.pk))
    assert event.before["featured"] is False and event.after["featured"] is True
    detail = client.get(f"/coops/alpha-coop/contracts/{in_force.slug}/").content.decode()
    assert "Featured on the public front page" in detail

    client.logout()
    featured = _page(client).split('id="featured-heading"', 1)[1].split("</section>", 1)[0]

    assert "Contract FRONT-1 · Alpha Co-op · chosen by the co-op</p>" in featured
    assert "BIG-7" not in featured  # a chosen contract replaces the fallback
    assert "<strong>2</strong> locally owned stores in Florida and Georgia" in featured


def test_a_featured_contract_shows_only_while_in_force(client, world, in_force):
    ContractFactory(cooperative=world.coop, supplier=world.supplier, number="DRAFT-9", status="draft", featured=True)
    ContractFactory(
        cooperative=world.coop, supplier=world.supplier, number="GONE-3", status="terminated", featured=True
    )

    featured = _page(client).split('id="featured-heading"', 1)[1].split("</section>", 1)[0]

    assert "FRONT-1" in featured  # the fallback
    assert "DRAFT-9" not in featured and "GONE-3" not in featured


def test_featuring_an_ended_contract_is_refused_and_changes_nothing(world, in_force):
    Contract.objects.filter(pk=in_force.pk).update(status="terminated")
    before = AuditEvent.objects.count()

    with pytest.raises(ApplicationError) as refused:
        contract_update(contract=in_force, actor=world.coop_staff, data={"featured": True})

    assert refused.value.code == "contract_closed"
    in_force.refresh_from_db()
    assert in_force.featured is False
    assert AuditEvent.objects.count() == before


def test_the_api_reads_and_sets_the_featured_flag(client, world, in_force):
    client.force_login(world.coop_staff)
    url = f"/api/v1/coops/alpha-coop/contracts/{in_force.slug}/"
    assert client.get(url).json()["featured"] is False

    response = client.patch(url, {"featured": True}, content_type="application/json")

    assert response.status_code == 200 and response.json()["featured"] is True
    in_force.refresh_from_db()
    assert in_force.featured is True


def test_catalog_preview_shows_items_with_their_savings(client, world, in_force):
    html = _page(client)
    preview = html.split('id="preview-heading"', 1)[1].split("</section>", 1)[0]

    assert preview.count('class="front-preview__item"') == 1  # one per category; the factory uses one
    assert "List price $20.00 · <strong>save 40.0%</strong>" in preview or (
        "List price $10.00 · <strong>save 10.0%</strong>" in preview
    )


def test_join_path_names_the_co_op_or_lists_them(client, world, in_force):
    html = _page(client)
    assert 'href="/coops/alpha-coop/join/"' in html and 'href="/coops/beta-coop/join/"' in html
    assert "Apply to join Alpha Co-op</a> — 1 contract in force" in html
    assert 'href="/contracts/"' in html and 'href="/accounts/login/"' in html

    world.other_coop.is_active = False
    world.other_coop.save(update_fields=["is_active"])
    html = _page(client)

    assert "beta-coop/join" not in html
    assert 'href="/coops/alpha-coop/join/">Join the co-op</a>' in html
    assert "Apply to join Alpha Co-op</a>" in html


def test_a_fresh_install_says_plainly_that_nothing_is_there_yet(client):
    html = _page(client)

    assert "No contracts are open to members yet" in html
    assert "no cooperative has been created yet" in html
    assert 'class="front-figures"' not in html and "Featured contract" not in html
    assert "/join/" not in html  # no co-op to join
    assert 'href="/contracts/"' in html and 'href="/accounts/login/"' in html
    assert not re.search(r">\s*0\s*<", html)  # no "0 contracts" tiles


def test_a_co_op_without_contracts_still_offers_to_join(client):
    OrganizationFactory(kind=OrgKind.COOPERATIVE, name="Lone Co-op", slug="lone-coop")

    html = _page(client)

    assert "No contracts are open to members yet" in html
    assert "as soon as a cooperative publishes them" in html
    assert 'href="/coops/lone-coop/join/">Apply to join Lone Co-op</a>' in html
    assert 'class="front-figures"' not in html


def _data_queries(ctx) -> list[str]:
    """The queries a request ran, without the request transaction's own SAVEPOINT / RELEASE (ATOMIC_REQUESTS)."""
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def test_front_page_queries_are_bounded_and_cached(client, world):
    def cold() -> int:
        cache.delete(CACHE_KEY)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(_data_queries(ctx))

    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier)
    _items(contract, ("10.00", "8.00"))
    StoreLocationFactory(supplier=world.supplier)
    one = cold()
    for n in range(6):
        more = ContractFactory(cooperative=world.coop if n % 2 else world.other_coop, supplier=world.other_supplier)
        _items(more, *[("10.00", "7.00")] * 5)
        StoreLocationFactory(supplier=world.other_supplier)
    many = cold()

    assert one == many == 6  # contracts, item figures, stores, member agencies, catalog preview, co-ops
    with CaptureQueriesContext(connection) as warm:
        client.get("/")
    assert _data_queries(warm) == []  # straight from the cache


def test_average_discount_is_the_mean_over_priced_active_items(world):
    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier)
    _items(contract, ("3.00", "2.00"), ("0.00", "0.00"), ("7.00", "7.00"))  # 33.33%, unpriced (skipped), 0%

    facts = front_page_compute()

    assert facts.item_count == 3
    assert facts.average_discount == Decimal("16.7")
    assert facts.featured[0].average_discount == Decimal("16.7")
