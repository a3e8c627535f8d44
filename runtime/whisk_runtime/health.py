"""The daemon-side health probe used by `whisk healthcheck` (health.wsgi).

200 once the handler has loaded the application in this daemon process, else 503. Why it is
not ready (an exception's text, which can hold a DSN with a password) is told only to
`whisk healthcheck`, which sends the token Apache gives this URL (SetEnv WHISK_HEALTH_TOKEN,
new at each start); any other client, a proxy on the same host included, gets "not ready"
alone."""
import hmac

from . import state


def application(environ, start_response):
    if state.loaded:
        status, body = '200 OK', b'ok\n'
    else:
        error = state.error or 'application not loaded yet'
        token = environ.get('WHISK_HEALTH_TOKEN', '')
        told = token and hmac.compare_digest(environ.get('HTTP_X_WHISK_HEALTH_TOKEN', ''), token)
        status, body = '503 Service Unavailable', ('not ready: %s\n' % error if told else 'not ready\n').encode()
    start_response(status, [('Content-Type', 'text/plain'),
                            ('Content-Length', str(len(body))),
                            ('Cache-Control', 'no-store')])
    return [body]
