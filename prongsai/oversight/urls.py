from django.urls import path

from prongsai.oversight import views

urlpatterns = [
    path("", views.country, name="oversight"),
    path("r/<str:code>/", views.region, name="oversight_region"),
    path("p/<str:code>/", views.province, name="oversight_province"),
    path("d/<str:code>/", views.district, name="oversight_district"),
    path("o/<slug:org>/<slug:plan>/scope/", views.scope, name="oversight_scope"),
]
