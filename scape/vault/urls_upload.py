from django.urls import URLPattern

# Filled by the urls_upload module once it lands.
urlpatterns: list[URLPattern] = []
