from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("nhap-ke-hoach/", views.upload, name="upload"),
    path("nhap-ke-hoach/mau.xlsx", views.template, name="template"),
    path("nhap-ke-hoach/<int:batch_id>/", views.preview, name="preview"),
    path("nhap-ke-hoach/<int:batch_id>/don-vi/", views.fix_unit, name="fix_unit"),
    path("nhap-ke-hoach/<int:batch_id>/xac-nhan/", views.confirm, name="confirm"),
    path("ke-hoach/<int:plan_id>/xuat-excel/", views.export_plan, name="export"),
    path("ke-hoach/<int:plan_id>/chuyen-nam-sau/", views.rollover, name="rollover"),
]
