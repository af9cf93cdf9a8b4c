"""A version of what every search reads besides the items (decision 0016, "Reference data per worker"): the
agency's scope (contracts, their availability to co-ops, co-op memberships, suppliers' vetting, supplier names)
and the category tree.

`search_reference` holds one row. A trigger on each table those are read from sets it to the next number of
`search_reference_seq` in the transaction that changes the table, so the new version becomes visible exactly when
the change does — whatever made it: a service, the admin, a bulk `update()`, a TRUNCATE. A sequence number is never
handed out twice, so a rolled-back change's version is never seen again. Workers keep what they built for a
version (contracts/catalog/search/reference.py). The agency's state is watched by agencies' migration 0009.
"""

from django.db import migrations

# (table, the events that change what search reads)
WATCHED = [
    ("contracts_contract", "INSERT OR UPDATE OR DELETE"),
    ("contracts_contract_available_to", "INSERT OR UPDATE OR DELETE"),
    ("contracts_category", "INSERT OR UPDATE OR DELETE"),
    ("core_coopmembership", "INSERT OR UPDATE OR DELETE"),
    ("core_organization", "UPDATE OF name, slug OR DELETE"),
    ("suppliers_supplier", "INSERT OR UPDATE OF vetting_status, organization_id OR DELETE"),
]

FUNCTION = """
CREATE TABLE search_reference (
    id smallint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
CREATE SEQUENCE search_reference_seq;
INSERT INTO search_reference (id, version) VALUES (1, nextval('search_reference_seq'));
CREATE FUNCTION search_reference_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_reference SET version = nextval('search_reference_seq') WHERE id = 1;
    RETURN NULL;
END
$$;
"""


def triggers(table: str, events: str) -> str:
    return (
        f"CREATE TRIGGER search_reference_rows AFTER {events} ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION search_reference_bump();\n"
        f"CREATE TRIGGER search_reference_truncate AFTER TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION search_reference_bump();\n"
    )


def drop(table: str) -> str:
    return (
        f"DROP TRIGGER IF EXISTS search_reference_rows ON {table};\n"
        f"DROP TRIGGER IF EXISTS search_reference_truncate ON {table};\n"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0008_search_whole_catalog"),
        ("core", "0007_name_keys_for_duplicate_checks"),
        ("suppliers", "0003_vetting"),
    ]

    operations = [
        migrations.RunSQL(
            FUNCTION + "".join(triggers(table, events) for table, events in WATCHED),
            reverse_sql="".join(drop(table) for table, _events in WATCHED)
            + "DROP FUNCTION search_reference_bump();\nDROP SEQUENCE search_reference_seq;\n"
            + "DROP TABLE search_reference;\n",
        )
    ]
