from django.urls import path

from tasks import views

app_name = "tasks"

urlpatterns = [
    path("nhiem-vu/<int:task_id>/", views.task_detail, name="detail"),
    path("nhiem-vu/<int:task_id>/ky/<int:period_id>/", views.update_edit, name="update_edit"),
    path(
        "nhiem-vu/<int:task_id>/ky/<int:period_id>/phoi-hop/",
        views.contribution_edit,
        name="contribution_edit",
    ),
    path("nhiem-vu/<int:task_id>/yeu-cau/", views.request_record, name="request_record"),
]
