"""Search's reference version (contracts' migration 0009) also changes with an agency's state: the contracts an
agency may buy on depend on it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0008_name_keys_for_duplicate_checks"),
        ("contracts", "0009_search_reference_version"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE TRIGGER search_reference_rows AFTER INSERT OR UPDATE OF state, organization_id OR DELETE "
            "ON agencies_agency FOR EACH ROW EXECUTE FUNCTION search_reference_bump();\n"
            "CREATE TRIGGER search_reference_truncate AFTER TRUNCATE ON agencies_agency "
            "FOR EACH STATEMENT EXECUTE FUNCTION search_reference_bump();\n",
            reverse_sql="DROP TRIGGER IF EXISTS search_reference_rows ON agencies_agency;\n"
            "DROP TRIGGER IF EXISTS search_reference_truncate ON agencies_agency;\n",
        )
    ]
