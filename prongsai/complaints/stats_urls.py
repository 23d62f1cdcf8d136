from django.urls import URLPattern, path

from prongsai.complaints import stats_views

# Public patterns of the complaint statistics, mounted at the site root (counts only, no account).
urlpatterns: list[URLPattern] = [
    path("p/<slug:org>/complaints/statistics/", stats_views.statistics_page, name="complaint_statistics"),
    path(
        "p/<slug:org>/complaints/statistics.csv",
        stats_views.statistics_csv,
        name="complaint_statistics_csv",
    ),
    path(
        "data/o/<slug:org>/complaints/<int:year>/statistics.csv",
        stats_views.statistics_data,
        name="complaint_statistics_data",
    ),
]
