from django.urls import URLPattern

# Patterns below /o/<org>/ita/ (the ITA app fills these in).
urlpatterns: list[URLPattern] = []
