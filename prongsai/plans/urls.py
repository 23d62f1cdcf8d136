from django.urls import path

from prongsai.plans import views

urlpatterns = [
    path("", views.organization_home, name="organization"),
]
