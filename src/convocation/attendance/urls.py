from django.urls import path

from convocation.attendance import views

app_name = "attendance"
urlpatterns = [
    path("check-in/", views.desk, name="desk"),
    path("check-in/<str:code>/", views.check_in, name="check_in"),
    path("check-in/<str:code>/undo/", views.undo_check_in, name="undo"),
    path("meetings/<slug:slug>/walk-in/", views.walk_in, name="walk_in"),
    path(
        "meetings/<slug:slug>/sessions/<int:pk>/interventions/",
        views.interventions,
        name="interventions",
    ),
    path(
        "meetings/<slug:slug>/sessions/<int:pk>/interventions/<int:turn>/remove/",
        views.remove_intervention,
        name="remove_intervention",
    ),
]
