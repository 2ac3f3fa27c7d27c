from django.urls import path

from convocation.registrations import views

app_name = "registrations"
urlpatterns = [
    path("meetings/<slug:slug>/register/", views.register, name="register"),
    path("my/registrations/", views.my_registrations, name="mine"),
    path("my/registrations/<int:pk>/", views.registration_detail, name="detail"),
    path("my/registrations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("my/calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
