"""Anonymous answers get random keys: new tables keyed by UUID (used tickets by their digest), filled from
the old ones in a random order so that neither the keys nor the new rows' physical order keep the order
in which people answered. 0004 drops the old tables and takes over their names.

Two migrations, because PostgreSQL refuses to alter a table with deferred foreign-key checks still
pending from rows written in the same transaction.
"""

import random
import uuid

import django.db.models.deletion
from django.db import migrations, models

BATCH = 2000


def copy_shuffled(apps, schema_editor):
    OldResponse = apps.get_model("ita", "SurveyResponse")
    OldAnswer = apps.get_model("ita", "Answer")
    OldTicket = apps.get_model("ita", "UsedTicket")
    NewResponse = apps.get_model("ita", "NewSurveyResponse")
    NewAnswer = apps.get_model("ita", "NewAnswer")
    NewTicket = apps.get_model("ita", "NewUsedTicket")
    shuffle = random.SystemRandom().shuffle

    old_ids = list(OldResponse.objects.values_list("pk", flat=True))
    shuffle(old_ids)
    for start in range(0, len(old_ids), BATCH):
        batch = old_ids[start : start + BATCH]
        responses = {r.pk: r for r in OldResponse.objects.filter(pk__in=batch)}
        new_id = {pk: uuid.uuid4() for pk in batch}
        NewResponse.objects.bulk_create(
            NewResponse(id=new_id[pk], round_id=responses[pk].round_id, tool=responses[pk].tool, via=responses[pk].via)
            for pk in batch
        )
        answers = list(OldAnswer.objects.filter(response_id__in=batch).values_list("response_id", "round_id", "item", "points"))
        shuffle(answers)
        NewAnswer.objects.bulk_create(
            (
                NewAnswer(id=uuid.uuid4(), response_id=new_id[response], round_id=round_id, item=item, points=points)
                for response, round_id, item, points in answers
            ),
            batch_size=BATCH,
        )
    tickets = list(OldTicket.objects.values_list("digest", "link_id"))
    shuffle(tickets)
    NewTicket.objects.bulk_create(
        (NewTicket(digest=digest, link_id=link) for digest, link in tickets), batch_size=BATCH
    )


class Migration(migrations.Migration):

    dependencies = [
        ("ita", "0002_answer_scoring_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="NewSurveyResponse",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("tool", models.CharField(choices=[("IIT", "ผู้มีส่วนได้ส่วนเสียภายใน (IIT)"), ("EIT", "ผู้มีส่วนได้ส่วนเสียภายนอก (EIT)")], max_length=3)),
                ("via", models.CharField(choices=[("web", "ตอบผ่านลิงก์"), ("import", "นำเข้าจากไฟล์")], max_length=10)),
                ("round", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ita.surveyround")),
            ],
        ),
        migrations.CreateModel(
            name="NewAnswer",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("item", models.CharField(max_length=10)),
                ("points", models.PositiveSmallIntegerField()),
                ("response", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ita.newsurveyresponse")),
                ("round", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ita.surveyround")),
            ],
        ),
        migrations.CreateModel(
            name="NewUsedTicket",
            fields=[
                ("digest", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("link", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ita.surveylink")),
            ],
        ),
        migrations.RunPython(copy_shuffled, migrations.RunPython.noop),
    ]
