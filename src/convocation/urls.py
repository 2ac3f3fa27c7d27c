from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

# admin.site is the Secretariat's (convocation.admin_site.SecretariatAdminSite).
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="meetings:list", permanent=False), name="home"),
    path("", include("convocation.web.urls")),
    path("admin/", admin.site.urls),
    path("", include("convocation.accounts.urls")),
    path("", include("convocation.meetings.urls")),
    path("", include("convocation.letters.urls")),
    path("", include("convocation.registrations.urls")),
    path("", include("convocation.documents.urls")),
    path("", include("convocation.attendance.urls")),
    path("", include("convocation.reports.urls")),
    path("", include("convocation.side_events.urls")),
    path("", include("convocation.nominations.urls")),
]
