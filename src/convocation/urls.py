from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "convocation — Secretariat"
admin.site.site_title = "convocation"
admin.site.index_title = "Meeting cycle records"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="meetings:list", permanent=False), name="home"),
    path("", include("convocation.web.urls")),
    path("admin/", admin.site.urls),
    path("", include("convocation.meetings.urls")),
    path("", include("convocation.letters.urls")),
]
