from django.urls import path

from scape.directory import views, views_notifications

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reset-2fa/", views.person_reset_2fa, name="person_reset_2fa"),
    path("people/<int:pk>/share/", views.PersonShareView.as_view(), name="person_share"),
    path(
        "people/<int:pk>/share/<int:grant_pk>/revoke/",
        views.PersonRevokeShareView.as_view(),
        name="grant_revoke",
    ),
    path("organizations/", views.organizations, name="organizations"),
    path("organizations/<int:pk>/", views.organization, name="organization"),
    path("notifications/", views_notifications.notifications, name="notifications"),
    path("notifications/live/", views_notifications.notifications_live, name="notifications_live"),
    path("notifications/read/", views_notifications.notifications_read, name="notifications_read"),
    path(
        "notifications/<int:pk>/", views_notifications.notification_open, name="notification_open"
    ),
]
