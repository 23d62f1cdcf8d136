from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("prongsai.accounts.urls")),
    path("o/<slug:org>/", include("prongsai.plans.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
