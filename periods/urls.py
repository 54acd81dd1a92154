from django.urls import path

from periods import views

app_name = "periods"

urlpatterns = [
    path("ky-bao-cao/", views.period_list, name="list"),
    path("ky-bao-cao/tao-ca-nam/", views.year_create, name="create_year"),
    path("ky-bao-cao/them/", views.period_create, name="create"),
    path("ky-bao-cao/<int:period_id>/", views.period_detail, name="detail"),
    path("ky-bao-cao/<int:period_id>/han/", views.period_deadlines, name="deadlines"),
    # Lock before unlock: the permission walk posts in this order and leaves the period as it found it.
    path("ky-bao-cao/<int:period_id>/khoa/", views.period_lock, name="lock"),
    path("ky-bao-cao/<int:period_id>/mo-khoa/", views.period_unlock, name="unlock"),
]
