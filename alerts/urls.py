from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("nhac-viec/", views.alert_list, name="list"),
]
