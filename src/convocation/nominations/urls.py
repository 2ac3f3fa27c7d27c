from django.urls import path

from convocation.nominations import views

app_name = "nominations"
urlpatterns = [
    path("vacancies/", views.vacancy_list, name="vacancies"),
    path("vacancies/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("vacancies/<int:pk>/nominations/", views.nominations, name="nominations"),
    path("vacancies/<int:pk>/nominations/<int:nomination>/cv/", views.cv, name="cv"),
    path("offices/<int:number>/", views.offices, name="offices"),
]
