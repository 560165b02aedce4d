"""WSGI entry point for gunicorn: `gunicorn kuaizhao.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuaizhao.settings")
application = get_wsgi_application()

from .web.warm import warm  # noqa: E402 — needs the settings configured above

warm()
