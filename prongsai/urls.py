from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from prongsai.accounts import views as accounts_views
from prongsai.lib.health import healthz

urlpatterns = [
    # Before the portal: /p/complaints/ is the reporter's page, never an organisation (slug reserved).
    path("", include("prongsai.complaints.public_urls")),
    path("", include("prongsai.portal.urls")),
    path("", include("prongsai.complaints.stats_urls")),
    path("", include("prongsai.accounts.urls")),
    path("o/<slug:org>/", include("prongsai.plans.urls")),
    path("o/<slug:org>/plans/<slug:plan>/", include("prongsai.documents.urls")),
    path("o/<slug:org>/ita/", include("prongsai.ita.urls")),
    path("o/<slug:org>/reports/", include("prongsai.reports.urls")),
    path("o/<slug:org>/risks/", include("prongsai.risks.urls")),
    path("o/<slug:org>/complaints/", include("prongsai.complaints.urls")),
    path("oversight/", include("prongsai.oversight.urls")),
    path("s/", include("prongsai.ita.public_urls")),
    path("api/v1/", include("prongsai.api.urls", namespace="api-v1")),
    path("data/", include("prongsai.opendata.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # The admin signs in through the one throttled form; this comes first, so it answers /admin/login/.
    path("admin/login/", accounts_views.admin_login),
    path("admin/", admin.site.urls),
    path("healthz", healthz),
]
