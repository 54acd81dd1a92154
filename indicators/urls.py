from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("chi-tieu/<int:indicator_id>/", views.indicator_detail, name="detail"),
    path("chi-tieu/<int:indicator_id>/ky/<int:period_id>/", views.result_edit, name="result_edit"),
    path(
        "chi-tieu/<int:indicator_id>/ky/<int:period_id>/danh-gia/",
        views.result_preview,
        name="result_preview",
    ),
]
