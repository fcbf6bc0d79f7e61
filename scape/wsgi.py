"""WSGI entry point (gunicorn scape.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scape.settings")
application = get_wsgi_application()
