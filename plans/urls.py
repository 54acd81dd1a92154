from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("viec-cua-toi/", views.my_work, name="my_work"),
    path("ke-hoach/", views.plan_list, name="list"),
    path("ke-hoach/<int:plan_id>/", views.plan_detail, name="detail"),
    path("tham-dinh/", views.review, name="review"),
    path("tham-dinh/xu-ly/", views.review_action, name="review_action"),
]
