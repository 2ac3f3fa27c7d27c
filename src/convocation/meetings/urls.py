from django.urls import path

from convocation.meetings import views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="detail"),
    path("meetings/<slug:slug>/schedule.ics", views.schedule_ics, name="schedule_ics"),
    path("meetings/<slug:slug>/schedule.json", views.schedule_json, name="schedule_json"),
    path(
        "meetings/<slug:slug>/revisions/<int:number>/",
        views.revision_detail,
        name="revision",
    ),
    path("meetings/<slug:slug>/now/", views.now_in_session, name="now"),
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/<slug:treaty>/<slug:slug>/", views.body_detail, name="body_detail"),
]
