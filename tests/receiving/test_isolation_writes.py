"""The receiving routes that write, probed with POST as every actor (the matrix in tests/core/test_isolation.py
probes each route once, with GET where it reads): refused callers change nothing, another tenant's order or
discrepancy through the allowed member's own URL is a 404, and the allowed member's empty form is refused (400)."""

from __future__ import annotations

import pytest

from tests.isolation import Probe, run_probe
from tests.receiving import isolation_routes as r

WRITES = {
    "agency-order-receive": Probe(
        r.AGENCY,
        method="post",
        data={},
        extra=r.own_po,
        other_extra=r.other_po,
        ok=(400,),
        snapshot=r.state,
        shows=None,
    ),
    "agency-discrepancy-resolve": Probe(
        r.AGENCY,
        method="post",
        data={},
        extra=r.own_discrepancy,
        other_extra=r.other_discrepancy,
        ok=(400,),
        snapshot=r.state,
        shows=None,
    ),
    "supplier-discrepancy-answer": Probe(
        r.SUPPLIER,
        r.DESK,
        method="post",
        data={},
        extra=r.own_discrepancy,
        other_extra=r.other_discrepancy,
        ok=(400,),
        snapshot=r.state,
        shows=None,
    ),
    "api-agency-purchase-order-receipts": Probe(
        r.AGENCY,
        api=True,
        method="post",
        data={},
        extra=r.own_po,
        other_extra=r.other_po,
        ok=(400,),
        snapshot=r.state,
        shows=None,
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(WRITES))
def test_writes_are_isolated(client, world, name):
    run_probe(client, world, name, WRITES[name])
