"""whisk_runtime.timing: --server-timing's header, from mod_wsgi's timestamps (WSGI) and
X-Request-Start (ASGI)."""
import asyncio
import re
import time
import unittest

from whisk_runtime import timing

ENTRIES = re.compile(r'^queue;dur=([0-9.]+), app;dur=([0-9.]+), total;dur=([0-9.]+)$')


def durations(value):
    """(queue, app, total) in milliseconds, from the header's value."""
    return tuple(float(x) for x in ENTRIES.match(value).groups())


class WsgiTest(unittest.TestCase):
    def call(self, environ, sleep=0.05):
        def app(environ, start_response):
            time.sleep(sleep)
            start_response('200 OK', [('Server-Timing', 'db;dur=3')])
            return [b'ok']
        seen = {}
        timing.wsgi_timed(app)(environ, lambda status, headers, exc_info=None: seen.setdefault('headers', headers))
        return seen['headers']

    def test_queue_from_mod_wsgi_and_app_from_the_daemon_accepting(self):
        now = int(time.time() * 1e6)
        # Apache read the request 30 ms ago, handed it over 20 ms ago; a daemon took it 5 ms ago.
        headers = self.call({'mod_wsgi.request_start': str(now - 30000), 'mod_wsgi.queue_start': str(now - 20000),
                             'mod_wsgi.daemon_start': str(now - 5000)})
        self.assertEqual(headers[0], ('Server-Timing', 'db;dur=3'))  # the application's own, kept
        queue, app, total = durations(dict(headers[1:])['Server-Timing'])
        self.assertAlmostEqual(queue, 15.0, delta=0.2)
        self.assertGreaterEqual(app, 55.0)  # the 50 ms sleep and the 5 ms before the call
        self.assertLess(app, 500)
        self.assertGreaterEqual(total, app + 25.0)

    def test_embedded_mode_has_no_queue(self):
        now = int(time.time() * 1e6)
        queue, app, total = durations(self.call({'mod_wsgi.request_start': str(now - 10000)}, sleep=0)[1][1])
        self.assertEqual(queue, 0.0)
        self.assertGreaterEqual(total, 10.0)


class AsgiTest(unittest.TestCase):
    def test_queue_until_the_application_is_called(self):
        async def app(scope, receive, send):
            await asyncio.sleep(0.05)
            await send({'type': 'http.response.start', 'status': 200, 'headers': []})
            await send({'type': 'http.response.body', 'body': b'ok'})
        sent = []

        async def send(message):
            sent.append(message)
        start = int(time.time() * 1e6) - 20000
        scope = {'type': 'http', 'headers': [(b'x-request-start', b't=%d' % start)]}
        asyncio.run(timing.asgi_timed(app)(scope, None, send))
        queue, app_ms, total = durations(dict(sent[0]['headers'])[b'server-timing'].decode())
        self.assertAlmostEqual(queue, 20.0, delta=5)
        self.assertGreaterEqual(app_ms, 50.0)
        self.assertAlmostEqual(total, queue + app_ms, delta=0.3)

    def test_a_missing_or_malformed_start_is_now(self):
        self.assertIsNone(timing.request_start([(b'x-request-start', b'1700000000')]))
        self.assertEqual(timing.request_start([(b'x-request-start', b't=1500000')]), 1.5)


if __name__ == '__main__':
    unittest.main()
