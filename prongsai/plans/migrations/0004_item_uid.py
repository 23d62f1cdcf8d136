"""Give every item a ``uid`` that its copies in later revisions keep (existing items get a new one)."""

import uuid

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def fill(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    PlanItem = apps.get_model("plans", "PlanItem")
    items = list(PlanItem.objects.only("pk"))
    for item in items:
        item.uid = uuid.uuid4()
    PlanItem.objects.bulk_update(items, ["uid"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_versions")]

    operations = [
        migrations.AddField(model_name="planitem", name="uid", field=models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="planitem", name="uid", field=models.UUIDField(default=uuid.uuid4, editable=False)
        ),
        migrations.AddConstraint(
            model_name="planitem",
            constraint=models.UniqueConstraint(fields=("plan", "uid"), name="item_uid_unique"),
        ),
    ]
