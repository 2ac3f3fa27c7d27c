from django.urls import path

from convocation.web import views

app_name = "web"
urlpatterns = [
    path("language/<str:language>/", views.choose_language, name="choose_language"),
]
