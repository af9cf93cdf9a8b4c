"""Contract routes in the isolation matrix (tests/core/test_isolation.py).

Co-op contract pages are for co-op staff and admins, i.e. every role a co-op has, so they are probed as
"any member" (roles=None). Routes that take the contract name one of world.coop's contracts (made in `extra`);
`other_extra` names world.other_coop's contract or document (tests.isolation.seed_other_tenant).
"""

from __future__ import annotations

from contracts.models import Contract, ContractDocument
from marketplace.core.roles import OrgKind
from tests.factories import ContractDocumentFactory, ContractFactory
from tests.isolation import Probe

COOP = OrgKind.COOPERATIVE


def _contract(world):
    if not hasattr(world, "probe_contract"):
        world.probe_contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="ISO-1")
    return world.probe_contract


def _with_contract(world):
    return {"contract": _contract(world).slug}


def _with_document(world):
    contract = _contract(world)
    # a row is enough: these routes never read the file (the download is probed with OPTIONS, see below)
    document = ContractDocumentFactory(contract=contract, title="Signed agreement", uploaded_by=world.coop_admin)
    world.probe_document = document
    return {"contract": contract.slug, "document_id": document.pk}


def _other_contract(world):
    return {"contract": world.other_objects.contract.slug}


def _other_document(world):
    """Another co-op's document: through its own contract, and with its id under world.coop's contract."""
    other = world.other_objects.document
    return [
        {"contract": other.contract.slug, "document_id": other.pk},
        {"contract": _contract(world).slug, "document_id": other.pk},
    ]


def _contract_state(world):
    return tuple(Contract.objects.values_list("pk", "status", "title").order_by("pk"))


def _document_state(world):
    return tuple(ContractDocument.objects.values_list("pk", "removed_at").order_by("pk"))


def _number(world):
    return world.probe_contract.number


MATRIX: dict[str, Probe] = {
    "coop-contract-list": Probe(COOP, extra=_with_contract, shows=_number),
    # the form lists other cooperatives (availability), so the allowed member's check is a POST: invalid form, 400
    "coop-contract-create": Probe(COOP, method="post", data={}, ok=(400,), snapshot=_contract_state, shows=None),
    "coop-contract-detail": Probe(COOP, extra=_with_contract, other_extra=_other_contract, shows=_number),
    "coop-contract-edit": Probe(
        COOP,
        method="post",
        data={"title": ""},
        extra=_with_contract,
        other_extra=_other_contract,
        ok=(400,),
        snapshot=_contract_state,
        shows=None,
    ),
    # the probe contract is active: the publish confirmation sends it back to its page, which names it
    "coop-contract-publish": Probe(COOP, extra=_with_contract, other_extra=_other_contract, follow=True, shows=_number),
    "coop-contract-terminate": Probe(
        COOP,
        method="post",
        data={"reason": "Isolation probe"},
        extra=_with_contract,
        other_extra=_other_contract,
        ok=(302,),
        snapshot=_contract_state,
        shows=None,
    ),
    "coop-contract-document-upload": Probe(
        COOP,
        method="post",
        data={},
        extra=_with_contract,
        other_extra=_other_contract,
        ok=(400,),
        snapshot=_document_state,
        shows=None,
    ),
    # streams a file (no .content to read), so the matrix probes its tenancy gate with OPTIONS;
    # tests/contracts/test_documents.py downloads it with GET as every actor
    "coop-contract-document": Probe(
        COOP, method="options", extra=_with_document, other_extra=_other_document, snapshot=_document_state, shows=None
    ),
    "coop-contract-document-withdraw": Probe(
        COOP,
        method="post",
        extra=_with_document,
        other_extra=_other_document,
        ok=(302,),
        snapshot=_document_state,
        shows=None,
    ),
    "api-coop-contract-list": Probe(COOP, api=True, extra=_with_contract, shows=_number),
    "api-coop-contract-detail": Probe(COOP, api=True, extra=_with_contract, other_extra=_other_contract, shows=_number),
    "api-coop-contract-transition": Probe(
        COOP,
        api=True,
        method="post",
        data={"to": "terminated", "reason": "Isolation probe"},
        extra=_with_contract,
        other_extra=_other_contract,
        snapshot=_contract_state,
        shows=None,
    ),
    "api-coop-contract-documents": Probe(
        COOP, api=True, extra=_with_document, other_extra=_other_contract, shows=lambda w: "Signed agreement"
    ),
    "api-coop-contract-document-withdraw": Probe(
        COOP,
        api=True,
        method="post",
        extra=_with_document,
        other_extra=_other_document,
        snapshot=_document_state,
        shows=None,
    ),
}

UNSCOPED_ROUTES = {
    "public-contract-list": "public: published (non-draft) contracts only, by design",
    "public-contract-detail": "public: a published contract's summary; drafts answer 404",
    "public-contract-document": "public: only public, non-withdrawn documents of published contracts",
    "public-contract-packet": "public: builds a packet of a published contract's public documents only",
    "public-contract-packet-status": "public: status of a public packet, looked up within its contract",
    "public-contract-packet-download": "public: a ready packet of public documents, looked up within its contract",
    "api-contract-list": "public API: published contracts only",
    "api-contract-detail": "public API: a published contract and its public documents",
}
