from django.urls import path

from imports import people_views, views

app_name = "imports"

urlpatterns = [
    path("nhap-ke-hoach/", views.upload, name="upload"),
    path("nhap-ke-hoach/mau.xlsx", views.template, name="template"),
    path("nhap-ke-hoach/<int:batch_id>/", views.preview, name="preview"),
    path("nhap-ke-hoach/<int:batch_id>/don-vi/", views.fix_unit, name="fix_unit"),
    path("nhap-ke-hoach/<int:batch_id>/xac-nhan/", views.confirm, name="confirm"),
    path("ke-hoach/<int:plan_id>/xuat-excel/", views.export_plan, name="export"),
    path("ke-hoach/<int:plan_id>/chuyen-nam-sau/", views.rollover, name="rollover"),
    path("nhap-nguoi-dung/", people_views.upload, name="people_upload"),
    path("nhap-nguoi-dung/mau.xlsx", people_views.template, name="people_template"),
    path("nhap-nguoi-dung/<int:people_batch_id>/", people_views.preview, name="people_preview"),
    path("nhap-nguoi-dung/<int:people_batch_id>/xac-nhan/", people_views.confirm, name="people_confirm"),
    path("doi-mat-khau/lan-dau/", people_views.first_password, name="first_password"),
]
