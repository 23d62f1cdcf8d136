from django.urls import URLPattern, path

from prongsai.ita import views

# Patterns below /o/<org>/ita/.
urlpatterns: list[URLPattern] = [
    path("", views.overview, name="ita"),
    path("assessments/new/", views.assessment_new, name="ita_assessment_new"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="ita_assessment"),
    path("assessments/<int:assessment_id>/delete/", views.assessment_delete, name="ita_assessment_delete"),
    path("rounds/new/", views.round_new, name="ita_round_new"),
    path("rounds/<int:round_id>/", views.round_detail, name="ita_round"),
    path("rounds/<int:round_id>/oit/", views.round_oit, name="ita_round_oit"),
    path("rounds/<int:round_id>/import/", views.round_import, name="ita_round_import"),
    path("rounds/<int:round_id>/close/", views.round_close, name="ita_round_close"),
    path("rounds/<int:round_id>/qr/<str:tool>.svg", views.round_qr, name="ita_round_qr"),
    path("rounds/<int:round_id>/template/<str:tool>.csv", views.round_template, name="ita_round_template"),
]
