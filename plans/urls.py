from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("ke-hoach/", views.plan_list, name="list"),
    path("ke-hoach/<int:plan_id>/", views.plan_detail, name="detail"),
]
