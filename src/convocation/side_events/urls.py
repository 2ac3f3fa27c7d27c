from django.urls import path  # noqa: F401

app_name = "side_events"
urlpatterns: list = []
