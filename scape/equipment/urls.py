from django.urls import path

from scape.equipment import views

app_name = "equipment"

urlpatterns = [
    path("", views.asset_list, name="assets"),
    path("assets/<int:pk>/", views.asset_detail, name="asset"),
    path("assets/<int:pk>/check-out/", views.asset_check_out, name="check_out"),
    path("assets/<int:pk>/check-in/", views.asset_check_in, name="check_in"),
    path("assets/<int:pk>/reading/", views.asset_reading, name="reading"),
    path("assets/<int:pk>/trip/", views.asset_trip, name="trip"),
    path("assets/<int:pk>/maintenance/", views.asset_maintenance, name="maintenance"),
    path("assets/<int:pk>/flight/", views.asset_flight, name="flight"),
    path("labels.pdf", views.labels_pdf, name="labels"),
    path("co2/", views.co2_report_page, name="co2"),
    path("co2.csv", views.co2_report_csv, name="co2_csv"),
]
