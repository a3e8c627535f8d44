"""whisk_runtime.shared_cache: a response that sets a cookie is marked private (--cache-responses)."""
import asyncio
import unittest

from whisk_runtime import shared_cache


class PrivateValue(unittest.TestCase):
    def test_private_added_to_what_the_application_said(self):
        self.assertEqual(shared_cache.private_value('public, max-age=60'), 'public, max-age=60, private')
        self.assertEqual(shared_cache.private_value(None), 'private')
        self.assertEqual(shared_cache.private_value(' '), 'private')

    def test_left_alone_when_already_private_or_no_store(self):
        for value in ('private', 'no-store', 'max-age=0, Private', 'private="Set-Cookie"', 'NO-STORE'):
            self.assertEqual(shared_cache.private_value(value), value)


def wsgi_headers(app_headers):
    """The headers the server is given when a WSGI application answers with `app_headers`."""
    given = []

    def application(environ, start_response):
        start_response('200 OK', app_headers)
        return [b'']
    shared_cache.wsgi_private_cookies(application)({}, lambda status, headers, exc_info=None: given.extend(headers))
    return given


def asgi_headers(app_headers, scope_type='http'):
    """The headers the server is sent when an ASGI application answers with `app_headers`."""
    sent = []

    async def app(scope, receive, send):
        await send({'type': 'http.response.start', 'status': 200, 'headers': app_headers})
        await send({'type': 'http.response.body', 'body': b''})

    async def send(message):
        sent.append(message)
    asyncio.run(shared_cache.asgi_private_cookies(app)({'type': scope_type}, None, send))
    return sent[0]['headers']


class Wsgi(unittest.TestCase):
    def test_a_cookie_makes_the_response_private(self):
        got = wsgi_headers([('Content-Type', 'text/html'), ('Cache-Control', 'public, max-age=60'), ('Set-Cookie', 'a=1')])
        self.assertIn(('Cache-Control', 'public, max-age=60, private'), got)
        self.assertEqual([h for h in got if h[0].lower() == 'cache-control'], [('Cache-Control', 'public, max-age=60, private')])
        self.assertIn(('Set-Cookie', 'a=1'), got)

    def test_several_cache_control_fields_become_one(self):
        got = wsgi_headers([('cache-control', 'public'), ('Cache-Control', 'max-age=60'), ('set-cookie', 'a=1')])
        self.assertEqual([h for h in got if h[0].lower() == 'cache-control'], [('Cache-Control', 'public, max-age=60, private')])

    def test_no_cookie_no_change(self):
        headers = [('Cache-Control', 'public, max-age=60'), ('Content-Type', 'text/plain')]
        self.assertEqual(wsgi_headers(list(headers)), headers)


class Asgi(unittest.TestCase):
    def test_a_cookie_makes_the_response_private(self):
        got = asgi_headers([(b'set-cookie', b'a=1'), (b'content-type', b'text/plain')])
        self.assertIn((b'cache-control', b'private'), got)
        self.assertIn((b'set-cookie', b'a=1'), got)

    def test_no_cookie_no_change(self):
        headers = [(b'cache-control', b'public, max-age=60')]
        self.assertEqual(asgi_headers(list(headers)), headers)


if __name__ == '__main__':
    unittest.main()
