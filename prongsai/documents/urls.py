from django.urls import URLPattern, re_path

from prongsai.documents import views

# Mounted below /o/<org>/plans/<plan>/.
urlpatterns: list[URLPattern] = [
    re_path(r"^document\.(?P<fmt>pdf|docx)$", views.plan_document, name="plan_document"),
    re_path(
        r"^r/(?P<rev>[0-9]+)/document\.(?P<fmt>pdf|docx)$", views.plan_document, name="plan_revision_document"
    ),
]
