from django.urls import URLPattern

# Filled by the urls_media module once it lands.
urlpatterns: list[URLPattern] = []
