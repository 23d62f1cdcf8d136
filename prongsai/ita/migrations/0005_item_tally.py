"""Per-round, per-item running sums of the answers (``ItemTally``), filled from the answers already stored."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Sum


def count_existing_answers(apps, schema_editor):
    Answer = apps.get_model("ita", "Answer")
    ItemTally = apps.get_model("ita", "ItemTally")
    grouped = (
        Answer.objects.values("round_id", "item")
        .annotate(answers=Count("*"), points=Sum("points"))
        .order_by()
        .iterator(chunk_size=5000)
    )
    ItemTally.objects.bulk_create(
        (
            ItemTally(round_id=row["round_id"], item=row["item"], answers=row["answers"], points=row["points"])
            for row in grouped
        ),
        batch_size=5000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('ita', '0004_random_keys_swap'),
    ]

    operations = [
        migrations.CreateModel(
            name='ItemTally',
            fields=[
                ('pk', models.CompositePrimaryKey('round', 'item', blank=True, editable=False, primary_key=True, serialize=False)),
                ('item', models.CharField(max_length=10)),
                ('answers', models.PositiveIntegerField(default=0)),
                ('points', models.PositiveBigIntegerField(default=0)),
                ('round', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='ita.surveyround')),
            ],
        ),
        migrations.RunPython(count_existing_answers, migrations.RunPython.noop),
    ]
