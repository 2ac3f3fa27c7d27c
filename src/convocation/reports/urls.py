from django.urls import path

from convocation.reports import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/meetings/<slug:slug>/", views.meeting_report, name="meeting"),
    path("reports/meetings/<slug:slug>/figures.csv", views.meeting_report_csv, name="csv"),
    path("reports/meetings/<slug:slug>/figures.xlsx", views.meeting_report_xlsx, name="xlsx"),
    path("reports/trends/", views.trends, name="trends"),
    path("meetings/<slug:slug>/figures/", views.public_page, name="public"),
    path("meetings/<slug:slug>/figures.csv", views.public_csv, name="public_csv"),
]
