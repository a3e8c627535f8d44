"""whisk_runtime.interrupt and asgi.interruptible: a request past --interrupt-timeout gets an
exception where it runs (a real one, through CPython), a 504 if nothing was sent, and the
log its stack; other requests and the process carry on."""
import asyncio
import contextlib
import io
import threading
import time
import unittest

from whisk_runtime import asgi, interrupt


def call_in_thread(app, environ):
    """Runs a WSGI request in a thread of its own, as mod_wsgi does; returns (status, body, error)."""
    out = {}

    def start_response(status, headers, exc_info=None):
        out['status'] = status

    def run():
        try:
            result = app(environ, start_response)
            try:
                out['body'] = b''.join(result)
            finally:
                if hasattr(result, 'close'):
                    result.close()
        except BaseException as error:  # what escaped to the server
            out['error'] = error
    t = threading.Thread(target=run)
    t.start()
    t.join(10)
    return out.get('status'), out.get('body'), out.get('error')


def looping_app(environ, start_response):
    """Python that runs until interrupted (a loop of short sleeps, as a view polling)."""
    while True:
        time.sleep(0.01)


class Check(unittest.TestCase):
    def test_interrupts_each_late_request_once_logs_its_stack_and_takes_back_one_not_landed(self):
        clock, injected = [0.0], []
        i = interrupt.Interrupter(5, clock=lambda: clock[0], inject=lambda ident, exc: injected.append((ident, exc)),
                                  frames=lambda: {}, watch=False)
        request = i.enter('GET /slow')
        clock[0] = 4.9
        i.check()
        self.assertEqual(injected, [])
        clock[0] = 5.0
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            i.check()
            i.check()
        self.assertEqual(injected, [(threading.get_ident(), interrupt.RequestInterrupted)])
        self.assertIn('whisk: --interrupt-timeout 5: GET /slow has run 5.0 s; RequestInterrupted raised in its thread', err.getvalue())
        i.leave(request)
        self.assertEqual(injected[-1], (threading.get_ident(), None))

    def test_the_exception_is_a_base_exception_which_frameworks_do_not_turn_into_their_500(self):
        self.assertFalse(issubclass(interrupt.RequestInterrupted, Exception))


class Real(unittest.TestCase):
    def test_a_looping_request_is_answered_504_and_the_log_names_its_frame(self):
        app = interrupt.interruptible(looping_app, interrupt.Interrupter(0.3))
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            status, body, error = call_in_thread(app, {'REQUEST_METHOD': 'GET', 'PATH_INFO': '/loop'})
        self.assertEqual((status, error), ('504 Gateway Timeout', None))
        self.assertIn(b'Gateway Timeout', body)
        self.assertIn('in looping_app', err.getvalue())
        self.assertIn('GET /loop answered 504', err.getvalue())

    def test_a_fast_request_is_untouched_and_a_later_one_in_the_thread_is_not_hit(self):
        def fast(environ, start_response):
            start_response('200 OK', [])
            return [b'ok']
        app = interrupt.interruptible(fast, interrupt.Interrupter(0.2))
        self.assertEqual(call_in_thread(app, {'PATH_INFO': '/'}), ('200 OK', b'ok', None))
        time.sleep(0.4)
        self.assertEqual(call_in_thread(app, {'PATH_INFO': '/'}), ('200 OK', b'ok', None))

    def test_a_body_that_has_started_is_cut(self):
        def streaming(environ, start_response):
            start_response('200 OK', [])
            yield b'first part'
            while True:
                time.sleep(0.01)
        app = interrupt.interruptible(streaming, interrupt.Interrupter(0.3))
        with contextlib.redirect_stderr(io.StringIO()):
            status, body, error = call_in_thread(app, {'PATH_INFO': '/stream'})
        self.assertEqual(status, '200 OK')
        self.assertIsInstance(error, interrupt.RequestInterrupted)


class Asgi(unittest.TestCase):
    def exchange(self, app):
        sent = []

        async def receive():
            await asyncio.sleep(3600)

        async def send(message):
            sent.append(message)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            asyncio.run(app({'type': 'http', 'method': 'GET', 'path': '/slow'}, receive, send))
        return sent, err.getvalue()

    def test_a_request_still_awaiting_is_cancelled_and_answered_504(self):
        async def slow(scope, receive, send):
            await asyncio.sleep(3600)
        sent, log = self.exchange(asgi.interruptible(slow, 0.2))
        self.assertEqual(sent[0]['status'], 504)
        self.assertIn(b'Gateway Timeout', sent[1]['body'])
        self.assertIn('whisk: --interrupt-timeout 0.2: GET /slow has run 0.2 s; its task is cancelled, where it awaits now:', log)
        self.assertIn('in slow', log)

    def test_a_started_response_is_not_answered_twice(self):
        async def half(scope, receive, send):
            await send({'type': 'http.response.start', 'status': 200, 'headers': []})
            await asyncio.sleep(3600)
        sent, _ = self.exchange(asgi.interruptible(half, 0.2))
        self.assertEqual([m['type'] for m in sent], ['http.response.start'])

    def test_off_is_the_application_itself(self):
        async def app(scope, receive, send):
            pass
        self.assertIs(asgi.interruptible(app, 0), app)


if __name__ == '__main__':
    unittest.main()
