from django.urls import path

from scape.directory.views import notifications, people

app_name = "directory"

urlpatterns = [
    path("", people.home, name="home"),
    path("people/", people.people, name="people"),
    path("people/<int:pk>/", people.person, name="person"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/deactivate/", people.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reset-2fa/", people.person_reset_2fa, name="person_reset_2fa"),
    path("people/<int:pk>/share/", people.PersonShareView.as_view(), name="person_share"),
    path(
        "people/<int:pk>/share/<int:grant_pk>/revoke/",
        people.PersonRevokeShareView.as_view(),
        name="grant_revoke",
    ),
    path("organizations/", people.organizations, name="organizations"),
    path("organizations/<int:pk>/", people.organization, name="organization"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/live/", notifications.notifications_live, name="notifications_live"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification_open"),
    path(
        "notifications/<int:pk>/dismiss/",
        notifications.notification_dismiss,
        name="notification_dismiss",
    ),
]
