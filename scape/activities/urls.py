from django.urls import path

from scape.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.activity_create, name="create"),
    path("geo/activities.geojson", views.activities_geojson, name="geojson"),
    path("<int:pk>/", views.activity_detail, name="activity"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/sessions/", views.add_session, name="add_session"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/certificates/", views.issue_certificates, name="issue_certificates"),
    path("<int:pk>/feedback/", views.give_feedback, name="feedback"),
    path("registrations/<int:pk>/decide/", views.registration_decide, name="decide"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="cancel"),
    path("sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("sessions/<int:pk>/sign-in.pdf", views.sign_in_sheet_pdf, name="sign_in_sheet"),
    path("certificates/<int:pk>.pdf", views.certificate_download, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="revoke"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/subscribe/", views.calendar_subscribe, name="calendar_subscribe"),
    path("feeds/<str:token>/mine.ics", views.feed_person, name="feed_person"),
    path("feeds/<str:token>/organization.ics", views.feed_organization, name="feed_organization"),
    path("competencies/", views.matrix, name="matrix"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts.vcf", views.contacts_vcf, name="contacts_vcf"),
]
