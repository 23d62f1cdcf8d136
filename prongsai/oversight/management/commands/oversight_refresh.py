"""``prongsai manage oversight_refresh [--org SLUG]``: rebuild the dashboards' pre-aggregated rows."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prongsai.organizations.models import Organization
from prongsai.oversight.refresh import refresh_all


class Command(BaseCommand):
    help = "Rebuild the oversight dashboards' per-organisation, per-year rows from the tables."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--org", action="append", default=[], help="only this organisation (slug); repeatable"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ids = None
        if options["org"]:
            found = dict(Organization.objects.filter(slug__in=options["org"]).values_list("slug", "pk"))
            missing = sorted(set(options["org"]) - set(found))
            if missing:
                raise CommandError(f"no organisation {', '.join(missing)}")
            ids = list(found.values())
        started = time.perf_counter()
        rows = refresh_all(ids)
        self.stdout.write(f"{rows} rows in {time.perf_counter() - started:.1f} s")
