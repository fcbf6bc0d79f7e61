from django.urls import path

from scape.equipment.views import assets, flights, inventory

app_name = "equipment"

urlpatterns = [
    path("", assets.asset_list, name="assets"),
    path("", assets.asset_list, name="index"),
    path("assets/new/", assets.asset_create, name="asset_create"),
    path("assets/<int:pk>/edit/", assets.asset_edit, name="asset_edit"),
    path("assets/<int:pk>/photos/", assets.asset_photo_add, name="photo_add"),
    path("assets/<int:pk>/photos/<int:photo_pk>/", assets.asset_photo, name="photo"),
    path("assets/<int:pk>/tracks.geojson", flights.asset_tracks, name="asset_tracks"),
    path("export.<str:fmt>", inventory.asset_export, name="export"),
    path("import/", inventory.import_upload, name="import"),
    path("import/<int:pk>/", inventory.import_preview, name="import_preview"),
    path("trips/shift/", flights.shift_trips, name="shift_trips"),
    path("flights/", flights.flight_list, name="flights"),
    path("flights/<int:pk>/", flights.flight_detail, name="flight_detail"),
    path("flights/<int:pk>/track.geojson", flights.flight_track, name="flight_track"),
    path("co2.xlsx", assets.co2_report_xlsx, name="co2_xlsx"),
    path("assets/<int:pk>/", assets.asset_detail, name="asset"),
    path("assets/<int:pk>/check-out/", assets.asset_check_out, name="check_out"),
    path("assets/<int:pk>/check-in/", assets.asset_check_in, name="check_in"),
    path("assets/<int:pk>/reading/", assets.asset_reading, name="reading"),
    path("assets/<int:pk>/trip/", assets.asset_trip, name="trip"),
    path("assets/<int:pk>/maintenance/", assets.asset_maintenance, name="maintenance"),
    path("assets/<int:pk>/flight/", assets.asset_flight, name="flight"),
    path(
        "assets/<int:pk>/maintenance/<int:record_pk>/attachment/",
        assets.maintenance_attachment,
        name="maintenance_attachment",
    ),
    path("assets/<int:pk>/schedules/", assets.schedule_add, name="schedule_add"),
    path(
        "assets/<int:pk>/schedules/<int:schedule_pk>/delete/",
        assets.schedule_delete,
        name="schedule_delete",
    ),
    path("people/<int:pk>/", assets.person_custody, name="person"),
    path("labels.pdf", assets.labels_pdf, name="labels"),
    path("co2/", assets.co2_report_page, name="co2"),
    path("co2.csv", assets.co2_report_csv, name="co2_csv"),
]
