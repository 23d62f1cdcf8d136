from django.urls import URLPattern, path

from prongsai.complaints import views

# Below /o/<org>/complaints/.
urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="complaints"),
    path("handlers/", views.handlers, name="complaint_handlers"),
    path("handlers/<int:handler_id>/revoke/", views.handler_revoke, name="complaint_handler_revoke"),
    path("recovery/new/", views.recovery_create, name="complaint_recovery_create"),
    path("recovery/use/", views.recovery_use, name="complaint_recovery_use"),
    path("<uuid:case_id>/", views.case_page, name="complaint_case"),
    path("<uuid:case_id>/reply/", views.case_reply, name="complaint_reply"),
    path("<uuid:case_id>/status/", views.case_status, name="complaint_status"),
    path("<uuid:case_id>/risk-area/", views.case_risk_area, name="complaint_risk_area"),
    path("<uuid:case_id>/identity/", views.case_identity, name="complaint_identity"),
    path("<uuid:case_id>/files/<uuid:attachment_id>/", views.attachment, name="complaint_attachment"),
]
