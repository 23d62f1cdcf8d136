from django.urls import URLPattern, path

from prongsai.ita import public_views

# Public patterns below /s/ (survey links answered without an account).
urlpatterns: list[URLPattern] = [
    path("<str:token>/", public_views.survey, name="ita_survey"),
]
