from django.contrib.auth import views as auth_views
from django.urls import path

from scape.core import sso, views

app_name = "core"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/verify/", views.otp_verify, name="otp_verify"),
    path("login/setup/", views.otp_setup, name="otp_setup"),
    path("login/sso/", sso.sso_start, name="sso_start"),
    path("login/sso/callback/", sso.sso_callback, name="sso_callback"),
    path("profile/sso/link/", sso.sso_link, name="sso_link"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("downloads/", views.downloads, name="downloads"),
    path("downloads/list/", views.downloads_fragment, name="downloads_fragment"),
    path("downloads/<int:pk>/file/", views.download_file, name="download_file"),
    path("i18n/setlang/", views.set_language, name="set_language"),
]
