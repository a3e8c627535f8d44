"""whisk_runtime.recycle: when a process is recycled (requests with jitter, resident memory),
that it retires once, what it logs and what --metrics counts; the WSGI and ASGI wrappers."""
import asyncio
import contextlib
import io
import os
import tempfile
import time
import unittest

from whisk_runtime import asgi, handler, metrics, recycle

MIB = 1024 * 1024


class Clock(object):
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def recycler(maximum_requests=0, jitter=0, maximum_rss=0, rss=lambda: 0, draw=lambda low, high: high, clock=None, metrics_dir=''):
    retired = []
    r = recycle.Recycler(maximum_requests, jitter, maximum_rss, lambda: retired.append(True), metrics_dir,
                         clock=clock or Clock(), rss=rss, draw=draw)
    return r, retired


def quietly(fn):
    """Calls fn with the process's standard error captured; returns what it wrote."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        fn()
    return err.getvalue()


class Interval(unittest.TestCase):
    def test_each_process_draws_its_own_lifetime_up_to_the_jitter(self):
        drawn = []
        r = recycle.Recycler(0, 0, 0, None, restart_interval=3600, interval_jitter=600,
                             draw=lambda low, high: drawn.append((low, high)) or 42)
        self.assertEqual((r.lifetime, drawn), (3642, [(0, 600)]))
        lifetimes = {recycle.Recycler(0, 0, 0, None, restart_interval=3600, interval_jitter=600).lifetime for _ in range(20)}
        self.assertTrue(lifetimes <= set(range(3600, 4201)) and len(lifetimes) > 1)

    def test_a_timer_retires_an_idle_process_once_its_lifetime_is_over_and_says_why(self):
        retired = []
        with tempfile.TemporaryDirectory() as d:
            err = io.StringIO()
            with contextlib.redirect_stderr(err):
                r = recycle.Recycler(0, 0, 0, lambda: retired.append(True), d, restart_interval=1, interval_jitter=0)
                time.sleep(1.5)
                r.request_done()  # a request finishing after: no second retirement
            self.assertEqual(retired, [True])
            self.assertIn('whisk: recycling process %d: 1 s running (--restart-interval)' % os.getpid(), err.getvalue())
            self.assertIn('whisk_process_recycles_total{reason="interval"} 1', metrics.recycle_lines(d))


class Requests(unittest.TestCase):
    def test_the_limit_is_maximum_requests_plus_a_draw_up_to_the_jitter(self):
        drawn = []
        r, _ = recycler(100, 20, draw=lambda low, high: drawn.append((low, high)) or 7)
        self.assertEqual((r.limit, drawn), (107, [(0, 20)]))
        self.assertEqual(recycle.Recycler(100, 20, 0, None).limit in range(100, 121), True)
        self.assertEqual(recycler(0, 20)[0].limit, 0)

    def test_retires_once_at_the_limit_and_says_why(self):
        r, retired = recycler(3, 0)
        quietly(r.request_done)
        quietly(r.request_done)
        self.assertEqual(retired, [])
        log = quietly(r.request_done)
        self.assertEqual(retired, [True])
        self.assertRegex(log, r'^whisk: recycling process %d: 3 requests served \(--maximum-requests\); '
                              r'it finishes its requests and is replaced\n$' % os.getpid())
        self.assertEqual(quietly(r.request_done), '')
        self.assertEqual((retired, r.count), ([True], 3))


class Memory(unittest.TestCase):
    def test_reads_resident_memory_at_most_once_a_second_and_retires_over_the_limit(self):
        clock, reads = Clock(), []
        sizes = [100 * MIB, 300 * MIB]

        def rss():
            reads.append(clock.now)
            return sizes[len(reads) - 1]
        r, retired = recycler(maximum_rss=256 * MIB, rss=rss, clock=clock)
        quietly(r.request_done)
        clock.now = 0.5
        quietly(r.request_done)
        self.assertEqual((reads, retired), ([0.0], []))
        clock.now = 1.0
        log = quietly(r.request_done)
        self.assertEqual((reads, retired), ([0.0, 1.0], [True]))
        self.assertIn('resident memory 300 MiB is over --maximum-rss 256 MiB', log)

    def test_reads_this_process_resident_memory(self):
        self.assertGreater(recycle.resident_bytes(), MIB)


class Counted(unittest.TestCase):
    def test_recycles_are_counted_by_reason_for_metrics(self):
        with tempfile.TemporaryDirectory() as d:
            lines = metrics.recycle_lines(d)
            self.assertIn('whisk_process_recycles_total{reason="memory"} 0', lines)
            for reason, limit, rss in (('requests', 1, 0), ('memory', 0, 1)):
                r, _ = recycler(limit, 0, maximum_rss=rss, rss=lambda: 2, metrics_dir=d)
                quietly(r.request_done)
            r, _ = recycler(1, 0, metrics_dir=d)
            quietly(r.request_done)
            lines = metrics.recycle_lines(d)
            self.assertIn('whisk_process_recycles_total{reason="requests"} 2', lines)
            self.assertIn('whisk_process_recycles_total{reason="memory"} 1', lines)
            self.assertIn('# TYPE whisk_process_recycles_total counter', lines)

    def test_no_metrics_directory_counts_nothing_and_fails_nothing(self):
        recycle.recycled('', 'requests')
        recycle.recycled('/nonexistent/dir', 'memory')


class Wrappers(unittest.TestCase):
    def test_a_wsgi_request_counts_once_its_response_is_closed_or_it_raised(self):
        done = []

        class Tally(object):
            def request_done(self):
                done.append(True)

        def app(environ, start_response):
            if environ.get('boom'):
                raise ValueError('boom')
            return [b'ok']
        wrapped = handler.counted(app, Tally())
        body = wrapped({}, None)
        self.assertEqual((list(body), done), ([b'ok'], []))
        body.close()
        self.assertEqual(done, [True])
        with self.assertRaises(ValueError):
            wrapped({'boom': True}, None)
        self.assertEqual(done, [True, True])
        self.assertIs(handler.counted(app, None), app)

    def test_an_asgi_http_request_counts_when_it_ends_a_websocket_or_the_lifespan_does_not(self):
        done = []

        class Tally(object):
            def request_done(self):
                done.append(True)

        async def app(scope, receive, send):
            if scope.get('path') == '/boom':
                raise ValueError('boom')
        wrapped = asgi.counted(app, Tally())
        asyncio.run(wrapped({'type': 'http', 'path': '/'}, None, None))
        asyncio.run(wrapped({'type': 'websocket'}, None, None))
        asyncio.run(wrapped({'type': 'lifespan'}, None, None))
        self.assertEqual(done, [True])
        with self.assertRaises(ValueError):
            asyncio.run(wrapped({'type': 'http', 'path': '/boom'}, None, None))
        self.assertEqual(done, [True, True])
        self.assertIs(asgi.counted(app, None), app)


if __name__ == '__main__':
    unittest.main()
