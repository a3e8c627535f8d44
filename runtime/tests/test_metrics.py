"""whisk_runtime.metrics: /.whisk/metrics from mod_status's page and the processes' reports."""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

from whisk_runtime import metrics

STATUS = '''localhost
ServerVersion: Apache/2.4.71 (Debian)
Total Accesses: 42
Total kBytes: 7
Uptime: 12
BusyWorkers: 3
IdleWorkers: 97
ConnsTotal: 5
Scoreboard: __W_
'''


def values(lines):
    """metric line → value, for the lines that are not comments."""
    return dict(line.rsplit(' ', 1) for line in lines if not line.startswith('#'))


# mod_ssl's session cache reports the same field names in a section of its own.
CACHE_STATUS = STATUS + '''TLSSessionCacheStatus
CacheType: SHMCB
CacheCurrentEntries: 900
CacheRetrieveHitCount: 900
ModCacheSocacheStatus
CacheType: SHMCB
CacheSharedMemory: 67108864
CacheCurrentEntries: 2
CacheUsage: 3%
CacheStoreCount: 4
CacheRetrieveHitCount: 5
CacheRetrieveMissCount: 6
CacheDiscardCount: 7
'''


class ResponseCache(unittest.TestCase):
    def test_the_response_cache_section_and_not_the_session_cache(self):
        got = values(metrics.response_cache_lines(CACHE_STATUS))
        self.assertEqual(got['apache_cache_entries'], '2.0')
        self.assertEqual(got['apache_cache_size_bytes'], '67108864.0')
        self.assertEqual(got['apache_cache_usage_ratio'], '0.03')
        self.assertEqual(got['apache_cache_stores_total'], '4.0')
        self.assertEqual(got['apache_cache_lookups_total{result="hit"}'], '5.0')
        self.assertEqual(got['apache_cache_lookups_total{result="miss"}'], '6.0')
        self.assertEqual(got['apache_cache_evictions_total'], '7.0')

    def test_nothing_without_the_cache_or_without_apache(self):
        self.assertEqual(metrics.response_cache_lines(STATUS), [])
        self.assertEqual(metrics.response_cache_lines(None), [])

    def test_one_help_and_type_for_the_labelled_counter(self):
        lines = metrics.response_cache_lines(CACHE_STATUS)
        self.assertEqual(lines.count('# TYPE apache_cache_lookups_total counter'), 1)


class Apache(unittest.TestCase):
    def test_each_field_as_its_metric_with_its_labels(self):
        got = values(metrics.apache_lines(STATUS))
        self.assertEqual(got['apache_up'], '1')
        self.assertEqual(got['apache_accesses_total'], '42.0')
        self.assertEqual(got['apache_workers{state="busy"}'], '3.0')
        self.assertEqual(got['apache_workers{state="idle"}'], '97.0')
        self.assertNotIn('apache_connections{state="writing"}', got)  # not on the page: not made up

    def test_one_help_and_type_a_metric(self):
        lines = metrics.apache_lines(STATUS)
        self.assertEqual(lines.count('# TYPE apache_workers gauge'), 1)

    def test_apache_down(self):
        self.assertEqual(metrics.apache_lines(None), ['# TYPE apache_up gauge', 'apache_up 0'])


class Reports(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def report(self, pid, **figures):
        with open(os.path.join(self.dir, '%d.json' % pid), 'w') as f:
            json.dump(figures, f)

    def test_live_reports_summed_stale_and_broken_ones_left_out_and_starts_counted(self):
        now = time.time()
        self.report(1, time=now - 1, request_count=3, active_requests=1, memory_rss=100, queue_time=0.5)
        self.report(2, time=now - 2, request_count=4, active_requests=0, memory_rss=200, queue_time=0.25)
        self.report(3, time=now - 60, request_count=1000)
        with open(os.path.join(self.dir, '4.json'), 'w') as f:
            f.write('{"time": ')  # half written: never happens (one rename), and skipped if it did
        with open(os.path.join(self.dir, 'starts'), 'w') as f:
            f.write('1\n2\n3\n')
        reports, starts = metrics.read_reports(self.dir, now)
        self.assertEqual((len(reports), starts), (2, 3))
        got = values(metrics.wsgi_lines(reports, starts, threads=5))
        self.assertEqual((got['mod_wsgi_processes'], got['mod_wsgi_threads'], got['mod_wsgi_process_starts_total']), ('2', '10', '3'))
        self.assertEqual((got['mod_wsgi_requests_total'], got['mod_wsgi_memory_rss_bytes'], got['mod_wsgi_queue_seconds_total']),
                         ('7.0', '300.0', '0.75'))

    def test_no_directory_yet(self):
        self.assertEqual(metrics.read_reports(os.path.join(self.dir, 'none')), ([], 0))

    def test_asgi_figures(self):
        got = values(metrics.asgi_lines([{'request_count': 2, 'websockets': 1, 'websockets_refused': 4}], 1))
        self.assertEqual((got['asgi_processes'], got['asgi_requests_total'], got['asgi_websockets'], got['asgi_websockets_refused_total']),
                         ('1', '2.0', '1.0', '4.0'))


class Acme(unittest.TestCase):
    def test_pending_then_ready_and_nothing_without_a_name(self):
        certificate = os.path.join(tempfile.mkdtemp(), 'pubcert.pem')
        self.assertEqual(metrics.acme_lines('shop.example', certificate)[-1], 'whisk_acme_certificate_ready{name="shop.example"} 0')
        open(certificate, 'w').close()
        self.assertEqual(metrics.acme_lines('shop.example', certificate)[-1], 'whisk_acme_certificate_ready{name="shop.example"} 1')
        self.assertEqual(metrics.acme_lines('', certificate), [])


class Application(unittest.TestCase):
    def test_answers_the_text_format_uncached_with_apache_down(self):
        app = metrics.metrics_application('http://127.0.0.1:9/server-status?auto', tempfile.mkdtemp(), 5, False, '', '')
        seen = {}
        body = b''.join(app({}, lambda status, headers: seen.update(status=status, headers=dict(headers))))
        self.assertEqual(seen['status'], '200 OK')
        self.assertEqual(seen['headers']['Content-Type'], 'text/plain; version=0.0.4; charset=utf-8')
        self.assertEqual(seen['headers']['Content-Length'], str(len(body)))
        self.assertIn(b'\napache_up 0\n', body)
        self.assertIn(b'\nmod_wsgi_processes 0\n', body)


if __name__ == '__main__':
    unittest.main()


CHILD = '''
import sys
from whisk_runtime.common import share_application_metrics
share_application_metrics(sys.argv[1])
from prometheus_client import Counter, Gauge
Counter('shop_orders', 'Orders placed.', ['kind']).labels('book').inc(int(sys.argv[2]))
Gauge('shop_busy', 'Busy workers.', multiprocess_mode='livesum').set(1)
if sys.argv[3] == 'killed':
    import os, signal
    os.kill(os.getpid(), signal.SIGKILL)
'''


class NoApplicationMetrics(unittest.TestCase):
    def test_nothing_without_files(self):
        with tempfile.TemporaryDirectory() as directory:
            self.assertEqual(metrics.application_lines(directory), [])
        self.assertEqual(metrics.application_lines('/nonexistent'), [])


@unittest.skipUnless(importlib.util.find_spec('prometheus_client'), "Debian's python3-prometheus-client")
class ApplicationMetrics(unittest.TestCase):
    """The application's prometheus_client metrics, from real processes in multiprocess mode."""

    def run_child(self, directory, count, how):
        subprocess.run([sys.executable, '-c', CHILD, directory, str(count), how], cwd=os.path.dirname(os.path.dirname(__file__)),
                       check=how != 'killed')

    def test_each_metric_once_summed_over_processes_that_exited_or_were_killed(self):
        with tempfile.TemporaryDirectory() as directory:
            self.run_child(directory, 3, 'exits')
            self.run_child(directory, 4, 'killed')
            lines = metrics.application_lines(directory)
            self.assertEqual([line for line in lines if line.startswith('# TYPE shop_orders')], ['# TYPE shop_orders_total counter'])
            got = values(lines)
            self.assertEqual(float(got['shop_orders_total{kind="book"}']), 7.0)
            # Both processes have gone: the one that exited marked its live gauge dead, and so did the scrape for the killed one.
            self.assertEqual(float(got.get('shop_busy', 0)), 0.0)
