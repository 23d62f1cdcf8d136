from django.urls import URLPattern, path

from prongsai.reports import views

ROUND = "<slug:plan>/<int:year>/<int:months>/"

# Patterns below /o/<org>/reports/.
urlpatterns: list[URLPattern] = [
    path("", views.round_list, name="reports"),
    path("new/", views.round_new, name="report_round_new"),
    path(ROUND, views.round_detail, name="report_round"),
    path(ROUND + "summary/", views.round_summary, name="report_summary"),
    path(ROUND + "items/<uuid:uid>/", views.item_report, name="report_item"),
    path(ROUND + "items/<uuid:uid>/view/", views.item_report_view, name="report_item_view"),
    path(ROUND + "items/<uuid:uid>/evidence/", views.evidence_add, name="report_evidence_add"),
    path(ROUND + "items/<uuid:uid>/evidence/<int:evidence_id>/", views.evidence_file, name="report_evidence"),
    path(
        ROUND + "items/<uuid:uid>/evidence/<int:evidence_id>/delete/",
        views.evidence_delete,
        name="report_evidence_delete",
    ),
    path(ROUND + "approve/", views.round_approve, name="report_round_approve"),
    path(ROUND + "return/", views.round_return, name="report_round_return"),
    path(ROUND + "publish/", views.round_publish, name="report_round_publish"),
    path(ROUND + "export.xlsx", views.round_export, name="report_export"),
    path(ROUND + "report.<str:fmt>", views.round_document, name="report_document"),
    path(ROUND + "import/", views.round_import, name="report_import"),
    path(ROUND + "retarget/", views.round_retarget, name="report_round_retarget"),
]
