from django.urls import path

from convocation.side_events import views

app_name = "side_events"
urlpatterns = [
    path("meetings/<slug:slug>/side-events/", views.side_events, name="list"),
    path("meetings/<slug:slug>/side-events/propose/", views.propose, name="propose"),
    path("my/side-events/", views.my_proposals, name="mine"),
    path("my/side-events/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
