"""Load the map of the country (data/SOURCE.md) into the tables just made."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from prongsai.geography.load import load_country

    load_country(apps)


class Migration(migrations.Migration):
    dependencies = [("geography", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
