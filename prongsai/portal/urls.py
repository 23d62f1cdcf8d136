from django.urls import URLPattern, path

from prongsai.portal import report_pages, risk_pages, views

app_name = "portal"
ROUND = "p/<slug:org>/reports/<slug:plan>/<int:year>/<int:months>/"
RISKS = "p/<slug:org>/risks/<int:year>/"
RISK_ROUND = RISKS + "monitoring/<int:months>/"

# Mounted at the site root: every pattern here is public (see tests/test_access_matrix.py).
urlpatterns: list[URLPattern] = [
    path("", views.directory, name="directory"),
    path("verify/", views.verify_document, name="verify"),
    path("language/", views.language, name="language"),
    path("p/<slug:org>/", views.organization_home, name="organization"),
    path("p/<slug:org>/checkpoint", views.log_checkpoint, name="checkpoint"),
    path("p/<slug:org>/plans/<slug:plan>/", views.plan_latest, name="plan"),
    path("p/<slug:org>/plans/<slug:plan>/r/<int:rev>/", views.plan_revision, name="plan_revision"),
    path("p/<slug:org>/plans/<slug:plan>/r/<int:rev>/items/<uuid:uid>/", views.item_page, name="item"),
    path("p/<slug:org>/plans/<slug:plan>/r/<int:rev>/plan.pdf", views.plan_pdf, name="pdf"),
    path("p/<slug:org>/plans/<slug:plan>/r/<int:rev>/plan.docx", views.plan_docx, name="docx"),
    path("p/<slug:org>/plans/<slug:plan>/r/<int:rev>/changes/", views.plan_changes, name="changes"),
    path(ROUND, report_pages.round_page, name="report_round"),
    path(ROUND + "report.pdf", report_pages.round_document, {"fmt": "pdf"}, name="report_pdf"),
    path(ROUND + "report.docx", report_pages.round_document, {"fmt": "docx"}, name="report_docx"),
    path(ROUND + "evidence/<int:evidence_id>/", report_pages.evidence_file, name="report_evidence"),
    path(RISKS, risk_pages.register_page, name="risk_register"),
    path(RISKS + "risks.pdf", risk_pages.register_document, {"fmt": "pdf"}, name="risk_pdf"),
    path(RISKS + "risks.docx", risk_pages.register_document, {"fmt": "docx"}, name="risk_docx"),
    path(RISKS + "r/<int:rev>/", risk_pages.register_page, name="risk_register_revision"),
    path(
        RISKS + "r/<int:rev>/risks.pdf",
        risk_pages.register_document,
        {"fmt": "pdf"},
        name="risk_revision_pdf",
    ),
    path(
        RISKS + "r/<int:rev>/risks.docx",
        risk_pages.register_document,
        {"fmt": "docx"},
        name="risk_revision_docx",
    ),
    path(RISK_ROUND + "report.pdf", risk_pages.round_document, {"fmt": "pdf"}, name="risk_round_pdf"),
    path(RISK_ROUND + "report.docx", risk_pages.round_document, {"fmt": "docx"}, name="risk_round_docx"),
    path(RISK_ROUND + "evidence/<int:evidence_id>/", risk_pages.evidence_file, name="risk_evidence"),
]
