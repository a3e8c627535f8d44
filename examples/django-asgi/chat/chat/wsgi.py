"""WSGI config, for the split deployment Channels' documentation describes: Django's HTTP
views in mod_wsgi's daemons, the WebSocket consumers in an ASGI process beside them
(channels-service.py, mounted at /ws/)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'chat.settings')
application = get_wsgi_application()
