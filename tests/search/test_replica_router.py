"""The read-replica router against a second real PostgreSQL database (the `replica` alias of the test settings):
search reads go there when a replica is enabled, writes and every other read stay on the primary."""

from __future__ import annotations

import pytest
from django.core import serializers
from django.db import connections, transaction

from contracts.catalog.search.words import search_words_refresh
from contracts.models import CatalogItem, Category, Contract, SearchWord
from marketplace.core.db import REPLICA, ReplicaRouter, read_alias, replica_reads
from marketplace.core.models import CoopMembership, Organization
from tests.search.conftest import api, make_item, skus

pytestmark = pytest.mark.django_db(databases=["default", REPLICA])


def _replicate():
    """What streaming replication would do: copy the rows search reads to the replica, as they are now."""
    from agencies.models import Agency
    from suppliers.models import Supplier

    with connections[REPLICA].cursor() as cursor:  # the replica's own category rows make way for the primary's
        cursor.execute("TRUNCATE contracts_category, contracts_searchword CASCADE")
    rows = []
    for model in (Category, Organization, CoopMembership, Agency, Supplier, Contract, CatalogItem, SearchWord):
        rows += list(model.objects.using("default").all())
    with transaction.atomic(using=REPLICA):  # foreign keys are checked at commit: any order will do
        for obj in serializers.deserialize("json", serializers.serialize("json", rows)):
            obj.save(using=REPLICA, save_m2m=False)  # m2m rows would follow the router (to the primary)
        through = Contract.available_to.through
        through.objects.using(REPLICA).bulk_create(list(through.objects.using("default").all()))


def test_the_router_reads_the_replica_only_inside_replica_reads_and_writes_the_primary(settings):
    router = ReplicaRouter()
    settings.READ_REPLICA = True

    assert router.db_for_read(CatalogItem) == "default"
    with replica_reads() as alias:
        assert alias == REPLICA and read_alias() == REPLICA
        assert router.db_for_read(CatalogItem) == REPLICA
        assert router.db_for_write(CatalogItem) == "default"
    assert read_alias() == "default"

    settings.READ_REPLICA = False
    with replica_reads() as alias:
        assert alias == "default" and router.db_for_read(CatalogItem) == "default"


def test_the_replica_is_a_second_real_database():
    with connections["default"].cursor() as primary, connections[REPLICA].cursor() as replica:
        primary.execute("SELECT current_database()")
        replica.execute("SELECT current_database()")
        names = (primary.fetchone()[0], replica.fetchone()[0])

    assert names[0] != names[1] and names[1].endswith("_replica")  # test_<name>_replica, created by pytest-django


def test_catalog_search_reads_the_replica_when_one_is_enabled(client, shop, settings):
    _replicate()
    make_item(shop.contract, "LAG-1", "Laggardly Widget")  # written after the copy: on the primary only
    search_words_refresh()
    assert CatalogItem.objects.using(REPLICA).filter(sku="LAG-1").count() == 0

    settings.READ_REPLICA = True
    assert skus(api(client, shop.requester, q="duracell")) == ["DUR-AA24"]  # the replica has it
    assert skus(api(client, shop.requester, q="laggardly widget")) == []  # not replicated yet
    page = client.get("/agencies/city-of-alpha/catalog/", {"q": "laggardly widget"}).content.decode()
    assert "No items found" in page

    settings.READ_REPLICA = False
    assert skus(api(client, shop.requester, q="laggardly widget")) == ["LAG-1"]  # the primary has it


def test_a_write_during_replica_reads_goes_to_the_primary(shop, settings):
    _replicate()
    settings.READ_REPLICA = True

    with replica_reads():
        made = make_item(shop.contract, "W-1", "Written during replica reads")

    assert CatalogItem.objects.using("default").filter(id=made.id).exists()
    assert not CatalogItem.objects.using(REPLICA).filter(sku="W-1").exists()
