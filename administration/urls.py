from django.urls import path

from administration import people_views, unit_views, views

app_name = "administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("xa/moi/", views.commune_create, name="commune_create"),
    path("xa/<int:commune_id>/", views.commune, name="commune"),
    path("xa/<int:commune_id>/don-vi/", unit_views.unit_list, name="unit_list"),
    path("xa/<int:commune_id>/don-vi/dan/", unit_views.unit_paste, name="unit_paste"),
    path("xa/<int:commune_id>/don-vi/tao/", unit_views.unit_create_many, name="unit_create_many"),
    path("don-vi/<int:unit_id>/sua/", unit_views.unit_edit, name="unit_edit"),
    path("xa/<int:commune_id>/nguoi-dung/", people_views.people, name="people"),
    path("xa/<int:commune_id>/nguoi-dung/<int:user_id>/", people_views.person, name="person"),
    path(
        "xa/<int:commune_id>/nguoi-dung/<int:user_id>/trang-thai/",
        people_views.person_active,
        name="person_active",
    ),
    path("thanh-vien/<int:membership_id>/xoa/", people_views.membership_remove, name="membership_remove"),
]
