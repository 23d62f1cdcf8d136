from django.urls import URLPattern

# Patterns below /o/<org>/plans/<plan>/ (the documents app fills these in).
urlpatterns: list[URLPattern] = []
