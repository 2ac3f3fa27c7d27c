from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from convocation.accounts.forms import SecretariatAuthenticationForm

admin.site.site_header = "convocation — Secretariat"
admin.site.site_title = "convocation"
admin.site.index_title = "Meeting cycle records"
# Staff who turned on two-factor sign-in give a code from their app with their password.
admin.site.login_form = SecretariatAuthenticationForm
admin.site.login_template = "accounts/admin_login.html"

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
