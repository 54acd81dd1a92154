from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from tracking.views import home

admin.site.site_header = _("Quản trị – Theo dõi chuyển đổi số cấp xã")
admin.site.site_title = _("Quản trị CĐS xã")
admin.site.index_title = _("Dữ liệu kế hoạch chuyển đổi số")

urlpatterns = [
    path("", home, name="home"),
    path("", include("tracking.urls")),
    path("", include("evidence.urls")),
    path("", include("reports.urls")),
    path("", include("dashboards.urls")),
    path("", include("imports.urls")),
    path("", include("alerts.urls")),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("quan-tri/", admin.site.urls),
]
