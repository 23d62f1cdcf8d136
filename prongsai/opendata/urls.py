"""Open data below /data/, all readable without an account.

Per-revision URLs (``…/r/<rev>/…``) never change once the revision is published; ``latest`` and the
organisation and installation files follow the newest published revisions.
"""

from django.urls import URLPattern, path, register_converter

from prongsai.opendata import views


class FormatConverter:
    regex = "csv|xlsx|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "fmt")

app_name = "opendata"
PLAN = "o/<slug:org>/<slug:plan>/"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("licence/", views.licence, name="licence"),
    path("catalog.jsonld", views.catalog, name="catalog"),
    path("gd", views.gd_terms, name="gd_terms"),
    path(f"{PLAN}reports/<int:year>/<int:months>/report.<fmt:fmt>", views.report_file, name="report"),
    path("all/reports.<fmt:fmt>", views.all_reports_file, name="all_reports"),
    path("o/<slug:org>/risks/<int:year>/risks.<fmt:fmt>", views.risk_file, name="risks"),
]
for dataset in ("items", "indicators"):
    urlpatterns += [
        path(
            f"{PLAN}r/<int:rev>/{dataset}.<fmt:fmt>",
            views.plan_file,
            {"dataset": dataset},
            name=f"plan_{dataset}",
        ),
        path(
            f"{PLAN}latest/{dataset}.<fmt:fmt>",
            views.plan_file_latest,
            {"dataset": dataset},
            name=f"plan_{dataset}_latest",
        ),
        path(
            f"o/<slug:org>/{dataset}.<fmt:fmt>", views.org_file, {"dataset": dataset}, name=f"org_{dataset}"
        ),
        path(f"all/{dataset}.<fmt:fmt>", views.all_file, {"dataset": dataset}, name=f"all_{dataset}"),
    ]
