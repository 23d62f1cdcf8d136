from django.urls import URLPattern, path

from prongsai.complaints import public_views

# Public patterns of the complaint statistics, mounted at the site root (counts only, no account).
urlpatterns: list[URLPattern] = [
    path("p/<slug:org>/complaints/statistics/", public_views.statistics_page, name="complaint_statistics"),
    path(
        "p/<slug:org>/complaints/statistics.csv",
        public_views.statistics_csv,
        name="complaint_statistics_csv",
    ),
    path(
        "data/o/<slug:org>/complaints/<int:year>/statistics.csv",
        public_views.statistics_data,
        name="complaint_statistics_data",
    ),
]
