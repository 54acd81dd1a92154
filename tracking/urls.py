from django.urls import path

from tracking import indicator_views, task_views, views

app_name = "tracking"

urlpatterns = [
    path("viec-cua-toi/", views.my_work, name="my_work"),
    path("ke-hoach/", views.plan_list, name="plan_list"),
    path("ke-hoach/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:plan_id>/trang-thai/", views.plan_status, name="plan_status"),
    path("tham-dinh/", views.review, name="review"),
    path("tham-dinh/xu-ly/", views.review_action, name="review_action"),
    path("chi-tieu/<int:indicator_id>/", indicator_views.indicator_detail, name="indicator_detail"),
    path("chi-tieu/<int:indicator_id>/ky/<int:period_id>/", indicator_views.result_edit, name="result_edit"),
    path(
        "chi-tieu/<int:indicator_id>/ky/<int:period_id>/danh-gia/",
        indicator_views.result_preview,
        name="result_preview",
    ),
    path("nhiem-vu/<int:task_id>/", task_views.task_detail, name="task_detail"),
    path("nhiem-vu/<int:task_id>/ky/<int:period_id>/", task_views.update_edit, name="update_edit"),
    path(
        "nhiem-vu/<int:task_id>/ky/<int:period_id>/phoi-hop/",
        task_views.contribution_edit,
        name="contribution_edit",
    ),
    path("nhiem-vu/<int:task_id>/yeu-cau/", task_views.request_record, name="request_record"),
]
