"""--server-timing: each response of the application says, in a Server-Timing header
(https://www.w3.org/TR/server-timing/, shown by browsers' developer tools), how long its
request waited for a process (`queue`), how long the application took to start its answer
(`app`) and the whole time since Apache read the request (`total`), in milliseconds.

WSGI: mod_wsgi's timestamps in the environ (microseconds since the epoch: request_start when
Apache read the request, queue_start when it handed it to the daemons, daemon_start when a
daemon process accepted it; https://modwsgi.readthedocs.io/en/master/user-guides/
request-monitoring.html). ASGI: X-Request-Start (`t=MICROSECONDS`, mod_headers' %t, the header
Heroku and the monitoring agents read), which httpd.conf sets on every request to the ASGI
processes; `queue` is then the time until
the application was called, the proxy hop included. An application's own Server-Timing is
kept: whisk's entries come in a header of their own, which clients read as one list."""
import time


def entries(queue, app, total):
    """The header's value; each argument in seconds, written in milliseconds."""
    return 'queue;dur=%.1f, app;dur=%.1f, total;dur=%.1f' % (queue * 1000, app * 1000, total * 1000)


def mod_wsgi_seconds(environ, key):
    """mod_wsgi's timestamp `key` in seconds, or None."""
    value = environ.get(key)
    return int(value) / 1e6 if value else None


def wsgi_timed(application):
    """The WSGI application, each response with whisk's Server-Timing (once it starts it)."""
    def call(environ, start_response):
        called = time.time()
        read = mod_wsgi_seconds(environ, 'mod_wsgi.request_start') or called
        handed = mod_wsgi_seconds(environ, 'mod_wsgi.queue_start')
        accepted = mod_wsgi_seconds(environ, 'mod_wsgi.daemon_start')
        # Embedded mode has no daemon: nothing waits between Apache and the application.
        queue = max(0.0, accepted - handed) if accepted and handed else 0.0
        began = accepted or called

        def timed_start_response(status, headers, exc_info=None):
            now = time.time()
            headers = list(headers) + [('Server-Timing', entries(queue, now - began, now - read))]
            return start_response(status, headers, exc_info)
        return application(environ, timed_start_response)
    return call


def request_start(headers):
    """X-Request-Start's time (`t=MICROSECONDS`) in seconds, or None."""
    for name, value in headers:
        if name == b'x-request-start' and value.startswith(b't=') and value[2:].isdigit():
            return int(value[2:]) / 1e6
    return None


def asgi_timed(app):
    """The ASGI application, each HTTP response with whisk's Server-Timing."""
    async def wrapped(scope, receive, send):
        if scope['type'] != 'http':
            return await app(scope, receive, send)
        called = time.time()
        read = request_start(scope.get('headers', ())) or called

        async def timed_send(message):
            if message['type'] == 'http.response.start':
                now = time.time()
                value = entries(max(0.0, called - read), now - called, now - read).encode()
                message = dict(message, headers=[*message.get('headers', []), (b'server-timing', value)])
            await send(message)
        return await app(scope, receive, timed_send)
    return wrapped
