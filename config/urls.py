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
    path("quan-ly/", include("administration.urls")),
    path("tinh/chi-tieu-chung/", include("catalogue.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("periods.urls")),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's password views with our Vietnamese templates (templates/registration/). The reset pages open
    # without a login, so they sit under the login's prefix; the answer is the same whether or not the
    # address belongs to someone, and a link stops working once it has set a password.
    path("dang-nhap/quen-mat-khau/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "dang-nhap/quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "dang-nhap/dat-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dang-nhap/dat-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("quan-tri/", admin.site.urls),
]
