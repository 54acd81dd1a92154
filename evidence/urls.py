from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("tai-lieu/<int:evidence_id>/", views.evidence_download, name="download"),
    path("tai-lieu/<int:evidence_id>/xoa/", views.evidence_remove, name="remove"),
]
