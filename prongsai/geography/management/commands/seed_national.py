"""``prongsai manage seed_national --lao 7852 [--seed N]``: a synthetic country for the oversight benchmark.

The logic is in ``prongsai/geography/seed.py``. Rows are written in bulk, not through the audited actions,
so ``prongsai audit verify`` is not meaningful on a seeded database: seed a database of its own.
"""

from __future__ import annotations

import resource
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from prongsai.geography.seed import (
    NATIONAL_TOTAL,
    SeedRefused,
    database_size,
    real_organizations,
    seed_country,
    synthetic_organizations,
)
from prongsai.oversight.refresh import refresh_all


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def refresh_oversight() -> float:
    """The oversight dashboards' rows of the whole seeded country (``refresh_all``); seconds taken."""
    began = time.perf_counter()
    refresh_all()
    return time.perf_counter() - began


class Command(BaseCommand):
    help = (
        "สร้างประเทศสมมติสำหรับวัดความเร็วหน้าติดตามระดับประเทศ: อปท. ตามจำนวนที่กำหนดในอำเภอและตำบลจริง "
        "พร้อมแผน รายการ งบประมาณ รายงานผล และผล ITA (Build a synthetic country for the oversight "
        "benchmark.) Rows are written in bulk, not through the audited actions: `prongsai audit verify` "
        "is not meaningful on a seeded database. Refuses a database that holds real organisations "
        "unless --force."
    )
    # The command prints in the language ``prongsai`` was started in (PRONGSAI_LANGUAGE), Thai by default.
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--lao", type=int, default=NATIONAL_TOTAL, help="organisations (7852: the country)"
        )
        parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same country")
        parser.add_argument("--batch", type=int, default=200, help="organisations per transaction")
        parser.add_argument(
            "--force", action="store_true", help="seed even though real organisations are in the database"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        n, seed = options["lao"], options["seed"]
        if n < 1 or options["batch"] < 1:
            raise CommandError(_("--lao และ --batch ต้องเป็นจำนวนเต็มบวก"))
        began = time.perf_counter()
        self.stdout.write(
            _("สร้างประเทศสมมติ: อปท. %(n)s แห่ง (seed %(seed)s) บน %(engine)s")
            % {"n": f"{n:,}", "seed": seed, "engine": connection.vendor}
        )
        try:
            seeded = seed_country(
                n, seed, force=options["force"], batch=options["batch"], out=self.stdout.write
            )
        except SeedRefused as refusal:
            if str(refusal) == "seeded":
                raise CommandError(
                    _(
                        "ฐานข้อมูลนี้มี อปท. สมมติอยู่แล้ว %(count)s แห่ง: สร้างฐานข้อมูลใหม่ (createdb แล้ว "
                        "prongsai manage migrate) ก่อนสร้างอีกครั้ง"
                    )
                    % {"count": f"{synthetic_organizations().count():,}"}
                ) from None
            if str(refusal) == "real":
                raise CommandError(
                    _(
                        "ฐานข้อมูลนี้มี อปท. จริง %(count)s แห่ง (เช่น %(example)s): จะไม่เพิ่มข้อมูลสมมติปนกับข้อมูลจริง "
                        "ใช้ฐานข้อมูลแยก หรือระบุ --force หากตั้งใจ"
                    )
                    % {
                        "count": f"{real_organizations().count():,}",
                        "example": real_organizations().order_by("slug").values_list("slug", flat=True)[0],
                    }
                ) from None
            raise CommandError(_("ยังไม่มีข้อมูลจังหวัด อำเภอ และตำบล: สั่ง prongsai manage migrate ก่อน")) from None
        if connection.vendor == "postgresql":  # fresh statistics, so the first dashboards plan well
            analyzed = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            seeded.seconds["ANALYZE"] = time.perf_counter() - analyzed
        refresh = refresh_oversight()
        total = time.perf_counter() - began
        for part, seconds in seeded.seconds.items():
            self.stdout.write(_("  %(part)-14s %(seconds)8.1f วินาที") % {"part": part, "seconds": seconds})
        self.stdout.write(
            _("  %(part)-14s %(seconds)8.1f วินาที") % {"part": "refresh_all", "seconds": refresh}
        )
        self.stdout.write(_("รวม %(seconds).1f วินาที") % {"seconds": total})
        for label, count in sorted(seeded.rows.items()):
            self.stdout.write(f"  {label:28s} {count:>12,}")
        self.stdout.write(
            _("แถวที่เขียน %(rows)s · ขนาดฐานข้อมูล %(size).0f MB · หน่วยความจำสูงสุด (RSS) %(rss).0f MB")
            % {
                "rows": f"{sum(seeded.rows.values()):,}",
                "size": database_size() / 2**20,
                "rss": peak_rss_mb(),
            }
        )
        self.stdout.write(_("ข้อมูลนี้ไม่ได้บันทึกผ่านบันทึกการเปลี่ยนแปลง: prongsai audit verify ใช้กับฐานข้อมูลนี้ไม่ได้"))
