"""The UUID-keyed tables filled by 0003 take the place and the names of the old ones; the per-link
answer budget moves from process memory to the database (``LinkBudget``)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("ita", "0003_random_keys_copy"),
    ]

    operations = [
        migrations.DeleteModel(name="Answer"),
        migrations.DeleteModel(name="UsedTicket"),
        migrations.DeleteModel(name="SurveyResponse"),
        migrations.RenameModel(old_name="NewSurveyResponse", new_name="SurveyResponse"),
        migrations.RenameModel(old_name="NewAnswer", new_name="Answer"),
        migrations.RenameModel(old_name="NewUsedTicket", new_name="UsedTicket"),
        migrations.AlterField(
            model_name="surveyresponse",
            name="round",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="responses", to="ita.surveyround"),
        ),
        migrations.AlterField(
            model_name="answer",
            name="response",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="answers", to="ita.surveyresponse"),
        ),
        migrations.AddIndex(
            model_name="surveyresponse",
            index=models.Index(fields=["round", "tool"], name="ita_response_round_tool"),
        ),
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(fields=["round", "item", "points"], name="ita_answer_scoring"),
        ),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.UniqueConstraint(fields=("response", "item"), name="ita_one_answer_per_item"),
        ),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.CheckConstraint(condition=models.Q(("points__lte", 100)), name="ita_points_0_100"),
        ),
        migrations.CreateModel(
            name="LinkBudget",
            fields=[
                ("link", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="+", serialize=False, to="ita.surveylink")),
                ("window", models.BigIntegerField(default=0)),
                ("hits", models.PositiveIntegerField(default=0)),
            ],
        ),
    ]
