from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("bang-theo-doi/", views.my_dashboard, name="mine"),
    path("xa/<int:commune_id>/bang-theo-doi/", views.commune_dashboard, name="commune"),
    path("don-vi/<int:unit_id>/bang-theo-doi/", views.unit_dashboard, name="unit"),
    path("tinh/bang-theo-doi/", views.province_dashboard, name="province"),
    path("tinh/bang-theo-doi/excel/", views.province_xlsx, name="province_xlsx"),
]
