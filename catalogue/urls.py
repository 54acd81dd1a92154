from django.urls import path

from catalogue import views

app_name = "catalogue"

# Under /tinh/chi-tieu-chung/ (config.urls).
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("them/", views.entry_create, name="create"),
    path("<int:entry_id>/sua/", views.entry_edit, name="edit"),
    path("excel/", views.catalogue_export, name="export"),
    path("nhap/", views.import_upload, name="import_upload"),
    path("nhap/<int:catalogue_import_id>/", views.import_preview, name="import_preview"),
    path("nhap/<int:catalogue_import_id>/xac-nhan/", views.import_confirm, name="import_confirm"),
    path("lien-ket/", views.links, name="links"),
    path("lien-ket/ke-hoach/<int:plan_id>/goi-y/", views.suggest, name="suggest"),
    path("lien-ket/chi-tieu/<int:indicator_id>/", views.link_action, name="link_action"),
    path("bang/", views.matrix, name="matrix"),
    path("bang/excel/", views.matrix_xlsx, name="matrix_xlsx"),
]
