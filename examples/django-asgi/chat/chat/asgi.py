"""ASGI config: HTTP to Django, WebSockets at /ws/ROOM/ to the Channels consumer.
Served by whisk with --application-type asgi chat.asgi (the callable is `application`)."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'chat.settings')
# Django first: its apps must be loaded before the consumers' imports.
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import path  # noqa: E402

from .consumers import EchoConsumer  # noqa: E402

application = ProtocolTypeRouter({
    'http': django_application,
    'websocket': AllowedHostsOriginValidator(URLRouter([path('ws/<str:room>/', EchoConsumer.as_asgi())])),
})
