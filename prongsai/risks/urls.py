from django.urls import URLPattern, path

from prongsai.risks import views

YEAR = "<int:year>/"
RISK = YEAR + "<int:risk_id>/"
ROUND = YEAR + "monitoring/<int:months>/"

# Patterns below /o/<org>/risks/.
urlpatterns: list[URLPattern] = [
    path("", views.register_list, name="risks"),
    path(YEAR, views.register_detail, name="risk_register"),
    path(YEAR + "r/<int:rev>/", views.register_revision, name="risk_register_revision"),
    path(YEAR + "r/<int:rev>/export.<str:fmt>", views.register_export, name="risk_revision_export"),
    path(YEAR + "revise/", views.register_revise, name="risk_register_revise"),
    path(YEAR + "approve/", views.register_approve, name="risk_register_approve"),
    path(YEAR + "return/", views.register_return, name="risk_register_return"),
    path(YEAR + "publish/", views.register_publish, name="risk_register_publish"),
    path(YEAR + "export.<str:fmt>", views.register_export, name="risk_export"),
    path(YEAR + "import/", views.register_import, name="risk_import"),
    path(YEAR + "new/", views.risk_new, name="risk_new"),
    path(RISK, views.risk_edit, name="risk_edit"),
    path(RISK + "delete/", views.risk_delete, name="risk_delete"),
    path(RISK + "complaints/", views.risk_complaints, name="risk_complaints"),
    path(RISK + "measures/new/", views.measure_new, name="risk_measure_new"),
    path(RISK + "measures/<int:measure_id>/", views.measure_edit, name="risk_measure_edit"),
    path(RISK + "measures/<int:measure_id>/delete/", views.measure_delete, name="risk_measure_delete"),
    path(YEAR + "plan-text/", views.plan_insert, name="risk_plan_insert"),
    path(YEAR + "monitoring/", views.round_open, name="risk_round_open"),
    path(ROUND, views.round_detail, name="risk_round"),
    path(ROUND + "risks/<int:risk_id>/", views.round_edit, name="risk_round_edit"),
    path(ROUND + "report.<str:fmt>", views.round_document, name="risk_round_document"),
    path(ROUND + "approve/", views.round_approve, name="risk_round_approve"),
    path(ROUND + "return/", views.round_return, name="risk_round_return"),
    path(ROUND + "publish/", views.round_publish, name="risk_round_publish"),
    path(ROUND + "measures/<int:report_id>/evidence/", views.evidence_add, name="risk_evidence_add"),
    path(ROUND + "evidence/<int:evidence_id>/", views.evidence_file, name="risk_evidence"),
    path(ROUND + "evidence/<int:evidence_id>/delete/", views.evidence_delete, name="risk_evidence_delete"),
]
