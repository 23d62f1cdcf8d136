from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("prongsai.accounts.urls")),
    path("o/<slug:org>/", include("prongsai.plans.urls")),
    path("o/<slug:org>/plans/<slug:plan>/", include("prongsai.documents.urls")),
    path("o/<slug:org>/ita/", include("prongsai.ita.urls")),
    path("s/", include("prongsai.ita.public_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
