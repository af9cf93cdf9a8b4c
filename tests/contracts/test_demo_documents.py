"""Demo compliance documents: valid PDFs through the real upload service, idempotent."""

import pytest

from contracts.models import ContractDocument
from marketplace.demo.documents import seed_contract_documents
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


def test_seed_adds_the_five_kinds_once(world):
    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier)
    assert seed_contract_documents(contract, world.coop_staff) == 5
    assert seed_contract_documents(contract, world.coop_staff) == 0
    documents = ContractDocument.objects.filter(contract=contract)
    assert sorted(documents.values_list("kind", flat=True)) == sorted(
        ["solicitation", "award_letter", "signed_contract", "pricing_exhibit", "insurance"]
    )
    assert all(d.page_count == 1 and d.size_bytes > 500 for d in documents)
