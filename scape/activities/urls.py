from django.urls import path

from scape.activities.views import calendar, people, programme

app_name = "activities"

urlpatterns = [
    path("", programme.index, name="index"),
    path("new/", programme.activity_create, name="create"),
    path("geo/activities.geojson", programme.activities_geojson, name="geojson"),
    path("<int:pk>/", programme.activity_detail, name="activity"),
    path("<int:pk>/edit/", programme.activity_edit, name="edit"),
    path("<int:pk>/register/", programme.register, name="register"),
    path("<int:pk>/sessions/", programme.add_session, name="add_session"),
    path("<int:pk>/status/", programme.change_status, name="status"),
    path("<int:pk>/certificates/", programme.issue_certificates, name="issue_certificates"),
    path("<int:pk>/feedback/", programme.give_feedback, name="feedback"),
    path("registrations/<int:pk>/decide/", programme.registration_decide, name="decide"),
    path("registrations/<int:pk>/cancel/", programme.registration_cancel, name="cancel"),
    path("sessions/<int:pk>/attendance/", programme.attendance, name="attendance"),
    path("sessions/<int:pk>/sign-in.pdf", programme.sign_in_sheet_pdf, name="sign_in_sheet"),
    path("certificates/<int:pk>.pdf", programme.certificate_download, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", programme.certificate_revoke, name="revoke"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/subscribe/", calendar.calendar_subscribe, name="calendar_subscribe"),
    path("feeds/<str:token>/mine.ics", calendar.feed_person, name="feed_person"),
    path(
        "feeds/<str:token>/organization.ics", calendar.feed_organization, name="feed_organization"
    ),
    path("competencies/", people.matrix, name="matrix"),
    path("contacts/", people.contacts, name="contacts"),
    path("contacts.vcf", people.contacts_vcf, name="contacts_vcf"),
]
