"""A character PostgreSQL cannot store is refused before any view runs (RefuseUnstorableInputMiddleware), so every
operation of the schema documents that 400 — found by schemathesis sending an odd query parameter to an operation
that has none."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from contracts.models import CatalogImport

pytestmark = pytest.mark.django_db


def test_every_operation_documents_the_400_for_unstorable_input():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]

    missing = [f"{method.upper()} {path}" for path, method, op in operations if "400" not in op["responses"]]
    unexplained = [
        f"{method.upper()} {path}"
        for path, method, op in operations
        if "bad_request" not in op["responses"].get("400", {}).get("description", "")
    ]

    assert len(operations) > 100 and missing == [] and unexplained == []
    me = schema["paths"]["/api/v1/me/"]["get"]["responses"]["400"]
    assert me["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    listing = schema["paths"]["/api/v1/agencies/{org}/catalog/items/"]["get"]["responses"]["400"]["description"]
    assert listing.startswith("`invalid`: a query parameter") and "`bad_request`" in listing


def test_an_operation_without_parameters_refuses_a_nul_in_the_query_with_the_documented_error(client, world):
    client.force_login(world.catalog_manager)
    before = CatalogImport.objects.count()

    response = client.get(
        "/api/v1/suppliers/alpha-cells/catalog-imports/00000000-0000-0000-0000-000000000000/", {"x\x00": "1"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "bad_request",
            "message": "The request contains characters that cannot be stored (such as NUL).",
            "fields": {},
        }
    }
    assert CatalogImport.objects.count() == before
