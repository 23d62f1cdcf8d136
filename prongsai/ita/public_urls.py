from django.urls import URLPattern

# Public patterns below /s/ (survey links answered without an account).
urlpatterns: list[URLPattern] = []
