from django.urls import path

from convocation.letters import views

app_name = "letters"
urlpatterns = [
    path("meetings/<slug:slug>/letters/", views.letters_of_meeting, name="for_meeting"),
    path(
        "meetings/<slug:slug>/letters/<int:pk>.<str:fmt>",
        views.issued_file,
        name="issued_file",
    ),
]
