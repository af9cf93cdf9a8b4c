from django.db import migrations


def forwards(apps, schema_editor):
    from contracts.catalog.categories import load_categories

    load_categories(apps.get_model("contracts", "Category"))


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
