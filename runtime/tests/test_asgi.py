"""whisk_runtime.asgi: the ASGI middleware and checks, driven with hand-made ASGI messages."""
import asyncio
import os
import socket
import tempfile
import unittest

from whisk_runtime import asgi


def run(coroutine):
    return asyncio.run(coroutine)


async def echo_app(scope, receive, send):
    """Reads the whole body and answers it."""
    body = b''
    while True:
        message = await receive()
        if message['type'] == 'http.disconnect':
            return
        body += message.get('body', b'')
        if not message.get('more_body'):
            break
    await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-type', b'text/plain')]})
    await send({'type': 'http.response.body', 'body': body})


def exchange(app, scope, messages):
    """Calls app with `messages` to receive (then a disconnect); returns what it sent."""
    queue = list(messages)
    sent = []

    async def receive():
        return queue.pop(0) if queue else {'type': 'http.disconnect'}

    async def send(message):
        sent.append(message)
    run(app(scope, receive, send))
    return sent


def http(headers=()):
    return {'type': 'http', 'headers': list(headers)}


class BodyLimit(unittest.TestCase):
    def test_a_declared_length_over_the_limit_is_413_before_the_application(self):
        called = []

        async def app(scope, receive, send):
            called.append(scope)
        sent = exchange(asgi.body_limit(app, 10), http([(b'content-length', b'11')]), [])
        self.assertEqual((sent[0]['status'], called), (413, []))
        self.assertIn((b'connection', b'close'), sent[0]['headers'])

    def test_a_body_within_the_limit_arrives_whole(self):
        sent = exchange(asgi.body_limit(echo_app, 10), http([(b'content-length', b'10')]),
                        [{'type': 'http.request', 'body': b'01234', 'more_body': True}, {'type': 'http.request', 'body': b'56789'}])
        self.assertEqual((sent[0]['status'], sent[1]['body']), (200, b'0123456789'))

    def test_a_chunked_body_that_grows_over_is_drained_and_413_and_the_application_sees_a_disconnect(self):
        chunks = [{'type': 'http.request', 'body': b'x' * 6, 'more_body': True} for _ in range(5)] + [{'type': 'http.request', 'body': b''}]
        sent = exchange(asgi.body_limit(echo_app, 10), http(), chunks)
        self.assertEqual([m.get('status') for m in sent], [413, None])
        self.assertEqual(sent[1]['body'], b'Request Entity Too Large\n')

    def test_other_scopes_pass(self):
        seen = []

        async def app(scope, receive, send):
            seen.append(scope['type'])
        exchange(asgi.body_limit(app, 1), {'type': 'websocket', 'headers': []}, [])
        self.assertEqual(seen, ['websocket'])


class WebsocketLimit(unittest.TestCase):
    def test_past_the_limit_a_handshake_is_accepted_and_closed_1013_and_counted(self):
        counts = {'open': 0, 'refused': 0}

        async def scenario():
            holding = asyncio.Event()
            release = asyncio.Event()

            async def app(scope, receive, send):
                holding.set()
                await release.wait()
            limited = asgi.websocket_limit(app, 1, counts)
            sent = []

            async def receive():
                return {'type': 'websocket.connect'}

            async def send(message):
                sent.append(message)
            first = asyncio.ensure_future(limited({'type': 'websocket'}, receive, send))
            await holding.wait()
            self.assertEqual(counts['open'], 1)
            await limited({'type': 'websocket'}, receive, send)
            release.set()
            await first
            return sent
        sent = run(scenario())
        self.assertEqual(sent, [{'type': 'websocket.accept'},
                                {'type': 'websocket.close', 'code': 1013, 'reason': 'too many WebSockets open; try again later'}])
        self.assertEqual(counts, {'open': 0, 'refused': 1})


class CloseWhenDraining(unittest.TestCase):
    def test_adds_connection_close_only_once_closing(self):
        closing = []
        app = asgi.close_when_draining(echo_app, closing)
        request = [{'type': 'http.request', 'body': b'a'}]
        self.assertNotIn((b'connection', b'close'), exchange(app, http(), list(request))[0]['headers'])
        closing.append(True)
        self.assertIn((b'connection', b'close'), exchange(app, http(), list(request))[0]['headers'])


class LooksLikeWsgi(unittest.TestCase):
    def test_names_a_wsgi_callable_and_nothing_else(self):
        def wsgi(environ, start_response):
            return []

        async def asgi_app(scope, receive, send):
            pass

        class WsgiObject(object):
            def __call__(self, environ, start_response):
                return []

        class AsgiObject(object):
            async def __call__(self, scope, receive, send):
                pass

        def with_default(scope, receive, send=None):
            pass
        self.assertTrue(asgi.looks_like_wsgi(wsgi))
        self.assertTrue(asgi.looks_like_wsgi(WsgiObject()))
        self.assertFalse(asgi.looks_like_wsgi(asgi_app))
        self.assertFalse(asgi.looks_like_wsgi(AsgiObject()))
        self.assertTrue(asgi.looks_like_wsgi(with_default))  # two required parameters
        self.assertFalse(asgi.looks_like_wsgi(print))

        def passes_on(*args, **kwargs):
            return asgi_app(*args, **kwargs)
        self.assertFalse(asgi.looks_like_wsgi(passes_on))  # a wrapper's *args say nothing


class AskHealth(unittest.TestCase):
    def answer(self, status=None, error=None):
        async def app(scope, receive, send):
            self.scope = scope
            if error:
                raise error
            if status:
                await send({'type': 'http.response.start', 'status': status, 'headers': []})
                await send({'type': 'http.response.body', 'body': b''})
        return app

    def test_2xx_and_3xx_are_healthy(self):
        self.assertEqual(run(asgi.ask_health(self.answer(204), '/health')), (True, '204'))
        self.assertEqual(run(asgi.ask_health(self.answer(301), '/health')), (True, '301'))
        self.assertEqual(run(asgi.ask_health(self.answer(500), '/health')), (False, '500'))

    def test_no_response_an_exception_or_a_hang_is_unhealthy(self):
        self.assertEqual(run(asgi.ask_health(self.answer(), '/health')), (False, 'no response'))
        self.assertEqual(run(asgi.ask_health(self.answer(error=RuntimeError('db')), '/health')), (False, 'RuntimeError: db'))

        async def hang(scope, receive, send):
            await asyncio.sleep(60)
        ok, why = run(asgi.ask_health(hang, '/health', timeout=0.1))
        self.assertFalse(ok)
        self.assertTrue(why.startswith('TimeoutError') or why.startswith('CancelledError'), why)

    def test_the_scope_has_the_path_root_path_and_the_lifespan_state(self):
        run(asgi.ask_health(self.answer(200), '/healthz', '/api', {'db': 1}))
        self.assertEqual((self.scope['path'], self.scope['root_path'], self.scope['state']), ('/healthz', '/api', {'db': 1}))


class InheritedSocket(unittest.TestCase):
    def test_only_the_unix_socket_bound_at_the_path(self):
        path = os.path.join(tempfile.mkdtemp(), 'a.sock')
        s = socket.socket(socket.AF_UNIX)
        s.bind(path)
        self.addCleanup(s.close)
        got = asgi.inherited_socket(s.fileno(), path)
        self.assertIsNotNone(got)
        got.close()
        self.assertIsNone(asgi.inherited_socket(s.fileno(), path + '.other'))
        tcp = socket.socket()
        self.addCleanup(tcp.close)
        self.assertIsNone(asgi.inherited_socket(tcp.fileno(), path))
        self.assertIsNone(asgi.inherited_socket(9999, path))


class UvicornSettings(unittest.TestCase):
    def test_keeps_only_what_this_uvicorn_knows(self):
        settings = asgi.uvicorn_settings(7, '/api', 5, 30, 1024, {'fd', 'root_path', 'ws_max_size', 'proxy_headers'})
        self.assertEqual(settings, {'fd': 7, 'root_path': '/api', 'ws_max_size': 1024, 'proxy_headers': True})


if __name__ == '__main__':
    unittest.main()
