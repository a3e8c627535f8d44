"""A --service-script for the split deployment: Django's views as a WSGI application in
mod_wsgi's daemons, the Channels consumers in an ASGI server beside them, which Apache starts,
restarts and stops, and reaches on a unix socket:

    CMD ["--url-alias", "/static", "chat/htdocs", "--application-type", "module", "chat.wsgi",
         "--service-script", "channels", "chat/channels-service.py",
         "--proxy-mount-point", "/ws/", "unix:/tmp/channels.sock|http://localhost/ws/"]

mod_wsgi imports this script in a daemon process of its own (the application's user, its
working directory and sys.path); it replaces that process with Debian's uvicorn serving
chat.asgi (its WebSocket routes). The one-process default, --application-type asgi chat.asgi,
needs none of this.
"""
import os

SOCKET = '/tmp/channels.sock'

if os.path.exists(SOCKET):
    os.unlink(SOCKET)  # a previous process's
os.execv('/usr/bin/python3', ['python3', '-m', 'uvicorn', '--uds', SOCKET, '--no-access-log',
                              # Apache writes the client's address and scheme (one X-Forwarded-For).
                              '--proxy-headers', '--forwarded-allow-ips', '*',
                              'chat.asgi:application'])
