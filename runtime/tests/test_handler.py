"""whisk_runtime.handler: the WSGI side, without Apache (mod_wsgi's environ made by hand)."""
import io
import os
import sys
import tempfile
import threading
import time
import unittest
from unittest import mock

from whisk_runtime import handler, state


def environ(**extra):
    env = {'REQUEST_METHOD': 'GET', 'SCRIPT_NAME': '', 'PATH_INFO': '/', 'wsgi.url_scheme': 'http',
           'wsgi.input': io.BytesIO()}
    env.update(extra)
    return env


def hello(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'hi']


class SplitPath(unittest.TestCase):
    def test_rebuilds_the_whole_path_when_no_mount_point(self):
        self.assertEqual(handler.split_path(environ(SCRIPT_NAME='/tmp/sr/htdocs', PATH_INFO='/x'), ''), ('', '/tmp/sr/htdocs/x'))
        self.assertEqual(handler.split_path(environ(SCRIPT_NAME='', PATH_INFO='/a/b'), ''), ('', '/a/b'))

    def test_takes_the_mount_point_off_at_a_segment_boundary_only(self):
        self.assertEqual(handler.split_path(environ(PATH_INFO='/app/x'), '/app'), ('/app', '/x'))
        self.assertEqual(handler.split_path(environ(PATH_INFO='/app'), '/app'), ('/app', ''))
        self.assertEqual(handler.split_path(environ(PATH_INFO='/apple'), '/app'), ('', '/apple'))

    def test_keeps_a_trusted_proxys_script_name_and_mod_wsgis_earlier_path(self):
        env = environ(SCRIPT_NAME='/shop', PATH_INFO='/cart', **{'mod_wsgi.mount_point': '/shop/', 'mod_wsgi.script_name': ''})
        self.assertEqual(handler.split_path(env, ''), ('/shop', '/cart'))

    def test_compares_paths_as_the_environ_holds_them(self):
        mount = '/caf\u00e9'.encode('utf-8').decode('latin-1')
        self.assertEqual(handler.split_path(environ(PATH_INFO=mount + '/x'), mount), (mount, '/x'))


class RequestHandler(unittest.TestCase):
    def call(self, env, **kw):
        seen = {}

        def app(environ, start_response):
            seen.update(environ)
            seen['body'] = environ['wsgi.input'].read()
            return hello(environ, start_response)
        handle = handler.request_handler(app, kw.pop('mount_point', ''), **kw)
        self.assertEqual(handle(env, lambda s, h, e=None: None), [b'hi'])
        return seen

    def test_sets_https_on_for_the_https_scheme_only(self):
        self.assertEqual(self.call(environ(**{'wsgi.url_scheme': 'https'}))['HTTPS'], 'on')
        self.assertNotIn('HTTPS', self.call(environ()))

    def test_gives_a_chunked_body_its_length_and_hides_the_chunking(self):
        body = b'x' * 200000
        seen = self.call(environ(HTTP_TRANSFER_ENCODING='chunked', **{'wsgi.input': io.BytesIO(body)}), chunked_request=True)
        self.assertEqual((seen['CONTENT_LENGTH'], seen['body']), ('200000', body))
        self.assertNotIn('HTTP_TRANSFER_ENCODING', seen)
        self.assertIs(seen['wsgi.input_terminated'], True)

    def test_leaves_a_chunked_body_alone_without_chunked_request(self):
        seen = self.call(environ(HTTP_TRANSFER_ENCODING='chunked', **{'wsgi.input': io.BytesIO(b'abc')}))
        self.assertNotIn('CONTENT_LENGTH', seen)
        self.assertEqual(seen['HTTP_TRANSFER_ENCODING'], 'chunked')

    def test_counts_mod_wsgis_queue_time_for_metrics(self):
        before = handler.Waited.seconds
        self.call(environ(**{'mod_wsgi.queue_start': '1000000', 'mod_wsgi.daemon_start': '1250000'}), metrics=True)
        self.assertAlmostEqual(handler.Waited.seconds - before, 0.25)


class BufferChunkedBody(unittest.TestCase):
    def test_spools_a_large_body_to_a_file_and_keeps_every_byte(self):
        body = os.urandom(3 * 65536 + 7)
        env = environ(**{'wsgi.input': io.BytesIO(body)})
        spooled = handler.buffer_chunked_body(env, spool_in_memory=1024)
        self.assertTrue(spooled._rolled)
        self.assertEqual(env['wsgi.input'].read(), body)
        self.assertEqual(env['CONTENT_LENGTH'], str(len(body)))

    def test_an_empty_body_is_length_zero(self):
        env = environ()
        handler.buffer_chunked_body(env)
        self.assertEqual(env['CONTENT_LENGTH'], '0')


class GateTest(unittest.TestCase):
    def test_admits_size_at_once_and_the_rest_first_come_first_served(self):
        gate = handler.Gate(2)
        gate.enter()
        gate.enter()
        order = []

        def wait(n):
            gate.enter()
            order.append(n)
        threads = []
        for n in range(3):
            t = threading.Thread(target=wait, args=(n,))
            t.start()
            threads.append(t)
            time.sleep(0.05)  # so they queue in this order
        self.assertEqual(order, [])
        for _ in range(3):
            gate.leave()
            time.sleep(0.05)
        for t in threads:
            t.join(5)
        self.assertEqual(order, [0, 1, 2])

    def test_a_gated_response_leaves_when_closed_and_an_exception_leaves_at_once(self):
        gate = handler.Gate(1)
        app = handler.gated(hello, gate)
        response = app(environ(), lambda s, h, e=None: None)
        self.assertEqual(list(response), [b'hi'])
        self.assertEqual(gate._free, 0)
        response.close()
        self.assertEqual(gate._free, 1)

        def broken(environ, start_response):
            raise RuntimeError('no')
        with self.assertRaises(RuntimeError):
            handler.gated(broken, gate)(environ(), None)
        self.assertEqual(gate._free, 1)

    def test_no_gate_is_the_application_itself(self):
        self.assertIs(handler.gated(hello, None), hello)


class Loading(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def test_loads_a_script_of_any_suffix_as_mod_wsgi_does(self):
        path = self.write('site.wsgi', 'def application(e, s):\n    return [__name__.encode()]\n')
        app = handler.load('script', path, 'application')
        self.assertTrue(app(None, None)[0].startswith(b'_mod_wsgi_'))

    def test_a_script_that_fails_leaves_no_module_behind(self):
        path = self.write('bad.py', 'raise ImportError("no database driver")\n')
        before = set(sys.modules)
        with self.assertRaises(ImportError):
            handler.load('script', path, 'application')
        self.assertEqual(set(sys.modules) - before, set())

    def test_loads_a_module_by_name(self):
        self.write('whisk_test_app.py', 'def app(e, s):\n    return [b"m"]\n')
        sys.path.insert(0, self.dir)
        try:
            self.assertEqual(handler.load('module', 'whisk_test_app', 'app')(None, None), [b'm'])
        finally:
            sys.path.remove(self.dir)

    def test_refuses_an_unknown_type(self):
        with self.assertRaises(ValueError):
            handler.load('static', '', 'application')

    def test_names_what_cannot_serve_wsgi(self):
        with self.assertRaisesRegex(TypeError, 'is not callable \\(--callable-object application\\)'):
            handler.check_application(42, 'app.py', 'application')

        async def asgi(scope, receive, send):
            pass
        with self.assertRaisesRegex(TypeError, 'serve it with --application-type asgi'):
            handler.check_application(asgi, 'app.py', 'application')

        class Asgi(object):
            async def __call__(self, scope, receive, send):
                pass
        with self.assertRaisesRegex(TypeError, 'is an ASGI application'):
            handler.check_application(Asgi(), 'app.py', 'application')
        handler.check_application(hello, 'app.py', 'application')

    def test_module_files_lists_sources_and_the_extra_files(self):
        files = handler.module_files(['/srv/app.ini'])
        self.assertIn('/srv/app.ini', files)
        self.assertIn(handler.__file__, files)
        self.assertFalse([f for f in files if f.endswith('.pyc')])


class CheckHealth(unittest.TestCase):
    def app(self, status):
        def application(environ, start_response):
            if status is None:
                raise RuntimeError('database down')
            start_response(status, [])
            return [b'body']
        return application

    def test_2xx_and_3xx_are_healthy_and_why_is_the_status(self):
        self.assertEqual(handler.check_health(self.app('204 No Content'), '/health'), (True, '204 No Content'))
        self.assertEqual(handler.check_health(self.app('302 Found'), '/health'), (True, '302 Found'))
        self.assertEqual(handler.check_health(self.app('503 Service Unavailable'), '/health'), (False, '503 Service Unavailable'))

    def test_an_exception_is_unhealthy_with_its_type_and_text(self):
        self.assertEqual(handler.check_health(self.app(None), '/health'), (False, 'RuntimeError: database down'))

    def test_asks_the_path_given(self):
        paths = []

        def app(environ, start_response):
            paths.append(environ['PATH_INFO'])
            start_response('200 OK', [])
            return []
        handler.check_health(app, '/healthz')
        self.assertEqual(paths, ['/healthz'])


class Start(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.ready = os.path.join(self.dir, 'ready')
        self.stopping = os.path.join(self.dir, 'stopping')
        self.saved = (list(sys.path), sys.stdout, sys.stderr)
        self.addCleanup(self.restore)
        # The container's stdout and stderr stay the test runner's; what start() logs is read here.
        patcher = mock.patch.object(handler, 'raw_streams')
        patcher.start()
        self.addCleanup(patcher.stop)
        sys.stderr = io.StringIO()

    def restore(self):
        sys.path[:], sys.stdout, sys.stderr = self.saved

    def start(self, script, **kw):
        path = os.path.join(self.dir, 'app.py')
        with open(path, 'w') as f:
            f.write(script)
        args = dict(application_type='script', entry_point=path, callable_object='application', working_directory=self.dir,
                    python_paths=[], mount_point='', virtual_env='', chunked_request=False, reload_on_changes=False,
                    concurrency=0, metrics_dir='', health_check_path='', ready_file=self.ready, stopping_file=self.stopping)
        args.update(kw)
        return handler.start(**args)

    def test_loads_marks_ready_and_serves(self):
        handle = self.start('def application(e, s):\n    s("200 OK", [])\n    return [e["PATH_INFO"].encode()]\n', mount_point='/m')
        self.assertTrue(os.path.exists(self.ready))
        self.assertTrue(state.loaded)
        self.assertEqual(handle(environ(PATH_INFO='/m/x'), lambda s, h, e=None: None), [b'/x'])
        self.assertEqual(sys.path[0], self.dir)

    def test_not_ready_while_stopping(self):
        open(self.stopping, 'w').close()
        self.start('def application(e, s):\n    return []\n')
        self.assertFalse(os.path.exists(self.ready))

    def test_a_failed_load_is_logged_not_ready_and_raised(self):
        open(self.ready, 'w').close()
        with self.assertRaises(ZeroDivisionError):
            self.start('1 / 0\n')
        self.assertFalse(os.path.exists(self.ready))
        self.assertFalse(state.loaded)
        self.assertEqual(state.error, 'ZeroDivisionError: division by zero')
        self.assertRegex(sys.stderr.getvalue(), r'^whisk: ERROR: the application failed to load \(script .*app\.py\); '
                         r'every request is answered 500 until it loads[^\n]*\nTraceback')


if __name__ == '__main__':
    unittest.main()
