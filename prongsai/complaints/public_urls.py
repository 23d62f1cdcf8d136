from django.urls import URLPattern, path

from prongsai.complaints import public_views

# Mounted before the portal, so that /p/complaints/ is never read as an organisation (the slug is reserved).
urlpatterns: list[URLPattern] = [
    path("p/complaints/", public_views.come_back, name="complaint_come_back"),
    path("p/complaints/reply/", public_views.reporter_reply, name="complaint_reporter_reply"),
    path("p/complaints/leave/", public_views.leave, name="complaint_leave"),
    path("p/<slug:org>/complaints/new/", public_views.file_new, name="complaint_file"),
    path("p/<slug:org>/complaints/poster/", public_views.poster, name="complaint_poster"),
]
