from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("ke-hoach/<int:plan_id>/bao-cao/", views.report_list, name="list"),
    path("ke-hoach/<int:plan_id>/bao-cao/lap/", views.report_create, name="create"),
    path("bao-cao/<int:report_id>/", views.report_detail, name="detail"),
    path("bao-cao/<int:report_id>/sua/", views.report_edit, name="edit"),
    path("bao-cao/<int:report_id>/pdf/", views.report_pdf, name="pdf"),
    path("bao-cao/<int:report_id>/xlsx/", views.report_xlsx, name="xlsx"),
    path("bao-cao/<int:report_id>/trinh/", views.report_submit, name="submit"),
    path("bao-cao/<int:report_id>/duyet/", views.report_approve, name="approve"),
    path("bao-cao/<int:report_id>/trang-thai-tep/", views.report_files_status, name="files_status"),
    path("bao-cao/<int:report_id>/tra-ve-du-thao/", views.report_return, name="return"),
    path("bao-cao/<int:report_id>/gui/", views.report_send, name="send"),
    path("bao-cao/<int:report_id>/dinh-chinh/", views.report_correct, name="correct"),
]
