"""An organisation's province and district become a reference to the country's map.

Each existing row's free-text district and province are looked up (Thai or English, with or without the
words อำเภอ / จังหวัด); a row that matches no single district stops the migration with its name, so that an
administrator corrects the text and runs it again, and no organisation is left without a place.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def place(apps: Any, schema_editor: Any) -> None:
    from prongsai.geography.load import find_district

    Organization = apps.get_model("organizations", "Organization")
    unmatched = []
    for org in Organization.objects.all():
        district = find_district(org.province_th, org.district_th, apps) or find_district(
            org.province_en, org.district_en, apps
        )
        if district is None:
            unmatched.append(f"{org.slug}: {org.district_th} {org.province_th}")
            continue
        org.district_id = district.pk
        org.save(update_fields=["district"])
    if unmatched:
        raise RuntimeError(
            "ไม่พบอำเภอ/จังหวัดขององค์กรเหล่านี้ในข้อมูลภูมิศาสตร์ โปรดแก้ชื่อแล้วย้ายฐานข้อมูลอีกครั้ง "
            "(no district of the country's map matches these organisations; correct the names and migrate again): "
            + "; ".join(unmatched)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("geography", "0002_load_country"),
        ("organizations", "0003_complaints_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="district",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="organizations",
                to="geography.district",
                verbose_name="อำเภอ",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="size",
            field=models.CharField(
                blank=True,
                choices=[("large", "ขนาดใหญ่"), ("medium", "ขนาดกลาง"), ("small", "ขนาดเล็ก")],
                max_length=10,
                verbose_name="ขนาด",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="subdistrict",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="organizations",
                to="geography.subdistrict",
                verbose_name="ตำบล",
            ),
        ),
        migrations.RunPython(place, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organization",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="organizations",
                to="geography.district",
                verbose_name="อำเภอ",
            ),
        ),
        migrations.RemoveField(model_name="organization", name="district_en"),
        migrations.RemoveField(model_name="organization", name="district_th"),
        migrations.RemoveField(model_name="organization", name="province_en"),
        migrations.RemoveField(model_name="organization", name="province_th"),
    ]
