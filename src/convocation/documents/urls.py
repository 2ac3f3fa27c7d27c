from django.urls import path

from convocation.documents import views

app_name = "documents"
urlpatterns = [
    path("documents/", views.library, name="library"),
    path("documents/<int:pk>/", views.detail, name="detail"),
    path("documents/<int:pk>/<slug:language>/", views.download, name="download"),
    path("meetings/<slug:slug>/documents/", views.meeting_documents, name="for_meeting"),
    path("meetings/<slug:slug>/documents/submit/", views.submit, name="submit"),
]
