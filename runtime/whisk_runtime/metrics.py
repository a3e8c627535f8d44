"""/.whisk/metrics (--metrics), in Prometheus' text exposition format
(https://prometheus.io/docs/instrumenting/exposition_formats/). Runs in a daemon process of
its own (whisk-metrics), so it answers while every application thread is busy. Apache's
figures come from mod_status (/server-status?auto, read over the loopback); the application
processes' from the files they write every 2 s (the WSGI handler: mod_wsgi.process_metrics()
plus the queue time of each request; the ASGI process: uvicorn's counts). Counters are summed
over the live processes: one that restarts starts again from 0, which Prometheus's rate()
takes as a counter reset."""
import json
import os
import re
import time
import urllib.request

from .common import add_virtual_env

# A report older than this is from a process that has gone (reports come every 2 s).
STALE_SECONDS = 10

# mod_status ?auto field → (metric, type, help, labels); the event MPM's connection counts.
APACHE = [
    ('Total Accesses', 'apache_accesses_total', 'counter', 'Requests Apache has served.', ''),
    ('Total kBytes', 'apache_sent_kilobytes_total', 'counter', 'Kilobytes Apache has sent.', ''),
    ('Uptime', 'apache_uptime_seconds_total', 'counter', 'Seconds since Apache started.', ''),
    ('BusyWorkers', 'apache_workers', 'gauge', 'Apache worker threads, by state.', 'state="busy"'),
    ('IdleWorkers', 'apache_workers', 'gauge', None, 'state="idle"'),
    ('ConnsTotal', 'apache_connections', 'gauge', 'Client connections, by state.', 'state="total"'),
    ('ConnsAsyncWriting', 'apache_connections', 'gauge', None, 'state="writing"'),
    ('ConnsAsyncKeepAlive', 'apache_connections', 'gauge', None, 'state="keepalive"'),
    ('ConnsAsyncClosing', 'apache_connections', 'gauge', None, 'state="closing"'),
]


def read_status(status_url):
    """mod_status's ?auto page, or None when Apache does not answer."""
    try:
        with urllib.request.urlopen(status_url, timeout=2) as response:
            return response.read().decode('latin-1')
    except Exception:
        return None


def apache_lines(text):
    """Apache's figures from mod_status's ?auto page (None: apache_up 0)."""
    if text is None:
        return ['# TYPE apache_up gauge', 'apache_up 0']
    lines = []
    fields = dict(line.split(': ', 1) for line in text.splitlines() if ': ' in line)
    lines += ['# HELP apache_up Whether Apache answered its status page.', '# TYPE apache_up gauge', 'apache_up 1']
    return lines + status_field_lines(fields, APACHE)


def status_field_lines(fields, table):
    """The metrics of `table` (rows of field, metric, type, help, labels and, optionally, the
    scale the value is multiplied by) whose field is among `fields` (mod_status's ?auto
    field → value); HELP and TYPE on the rows that have a help text, the first of a metric."""
    lines = []
    for field, name, kind, help_text, labels, *scale in table:
        if field not in fields:
            continue
        if help_text:
            lines += ['# HELP %s %s' % (name, help_text), '# TYPE %s %s' % (name, kind)]
        lines.append('%s%s %s' % (name, '{%s}' % labels if labels else '', float(fields[field]) * (scale[0] if scale else 1)))
    return lines


# --cache-responses: mod_cache_socache's shared memory (mod_socache_shmcb's figures, in the
# ?auto page's ModCacheSocacheStatus section) → (metric, type, help, labels, scale).
RESPONSE_CACHE = [
    ('CacheCurrentEntries', 'apache_cache_entries', 'gauge', 'Entries in the response cache (a response with Vary takes one more).', '', 1),
    ('CacheSharedMemory', 'apache_cache_size_bytes', 'gauge', 'Shared memory the response cache keeps entries in (--cache-size).', '', 1),
    ('CacheUsage', 'apache_cache_usage_ratio', 'gauge', 'Share of the response cache in use.', '', 0.01),
    ('CacheStoreCount', 'apache_cache_stores_total', 'counter', 'Entries stored in the response cache.', '', 1),
    ('CacheRetrieveHitCount', 'apache_cache_lookups_total', 'counter',
     'Lookups in the response cache, by result (a response with Vary takes two: its Vary entry, then the variant).', 'result="hit"', 1),
    ('CacheRetrieveMissCount', 'apache_cache_lookups_total', 'counter', None, 'result="miss"', 1),
    ('CacheDiscardCount', 'apache_cache_evictions_total', 'counter', 'Entries dropped from the full response cache before they went stale.', '', 1),
]


def response_cache_lines(text):
    """The response cache's figures from mod_status's ?auto page: its own section, which
    starts at the line ModCacheSocacheStatus (mod_ssl's session cache, in a section of its
    own, uses the same field names). [] without --cache-responses."""
    if text is None or 'ModCacheSocacheStatus' not in text:
        return []
    section = text.split('ModCacheSocacheStatus\n', 1)[1].splitlines()
    fields = {}
    for line in section:
        if ': ' not in line:
            break
        name, value = line.split(': ', 1)
        if value.rstrip('%').isdigit():
            fields[name] = value.rstrip('%')
    return status_field_lines(fields, RESPONSE_CACHE)


def read_reports(metrics_dir, now=None):
    """The reports of the live processes (PID.json, newer than STALE_SECONDS) and how many
    processes have started (lines of `starts`)."""
    now = time.time() if now is None else now
    reports = []
    try:
        names = os.listdir(metrics_dir)
    except OSError:
        return [], 0
    for name in names:
        if not name.endswith('.json'):
            continue
        try:
            with open(os.path.join(metrics_dir, name)) as f:
                report = json.load(f)
        except (OSError, ValueError):
            continue
        if now - report.get('time', 0) < STALE_SECONDS:
            reports.append(report)
    try:
        with open(os.path.join(metrics_dir, 'starts')) as f:
            starts = sum(1 for _ in f)
    except OSError:
        starts = 0
    return reports, starts


WSGI = [
    ('requests_total', 'counter', 'Requests the application has answered (live daemon processes).', 'request_count'),
    ('active_requests', 'gauge', 'Requests running in the application now: busy daemon threads.', 'active_requests'),
    ('application_seconds_total', 'counter', 'Seconds daemon threads spent in the application.', 'request_busy_time'),
    ('queue_seconds_total', 'counter', 'Seconds requests waited between Apache handing them over and a daemon process accepting them.', 'queue_time'),
    ('memory_rss_bytes', 'gauge', 'Resident memory of the daemon processes.', 'memory_rss'),
    ('cpu_seconds_total', 'counter', 'CPU time (user and system) of the daemon processes.', 'cpu_time'),
]


def metric(name, kind, help_text, value):
    """One metric in the text format: its HELP and TYPE lines, and its value."""
    return ['# HELP %s %s' % (name, help_text), '# TYPE %s %s' % (name, kind), '%s %s' % (name, value)]


def summed(prefix, figures, reports):
    """Each of `figures` (name, type, help, report key), summed over the reports."""
    lines = []
    for name, kind, help_text, key in figures:
        lines += metric(prefix + name, kind, help_text, float(sum(r.get(key, 0) for r in reports)))
    return lines


def wsgi_lines(reports, starts, threads):
    """The mod_wsgi daemons' figures, summed over their reports; `threads` a process."""
    return (metric('mod_wsgi_processes', 'gauge', 'Live mod_wsgi daemon processes running the application.', len(reports))
            + metric('mod_wsgi_threads', 'gauge', 'Request threads of the daemon processes (capacity).', threads * len(reports))
            + metric('mod_wsgi_process_starts_total', 'counter', 'Daemon processes started (the first ones and every restart).', starts)
            + summed('mod_wsgi_', WSGI, reports))


ASGI_FIGURES = [
    ('requests_total', 'counter', 'HTTP requests the ASGI processes have answered (live processes).', 'request_count'),
    ('active_requests', 'gauge', 'HTTP requests the application is running now.', 'active_requests'),
    ('connections', 'gauge', 'Open HTTP connections from Apache to the ASGI processes.', 'connections'),
    ('websockets', 'gauge', 'Open WebSocket connections.', 'websockets'),
    ('websockets_refused_total', 'counter',
     'WebSocket handshakes closed with 1013 at once: --max-websockets were open (live processes).', 'websockets_refused'),
    ('memory_rss_bytes', 'gauge', 'Resident memory of the ASGI processes.', 'memory_rss'),
    ('cpu_seconds_total', 'counter', 'CPU time (user and system) of the ASGI processes.', 'cpu_time'),
]


def asgi_lines(reports, starts):
    """The ASGI processes' figures, summed over their reports."""
    return (metric('asgi_processes', 'gauge', 'Live ASGI server processes (uvicorn) running the application.', len(reports))
            + metric('asgi_process_starts_total', 'counter', 'ASGI processes started (the first ones and every restart).', starts)
            + summed('asgi_', ASGI_FIGURES, reports))


RECYCLE_REASONS = ('requests', 'memory', 'interval')


def recycle_lines(metrics_dir):
    """Processes recycled by whisk (recycle.py), by reason: the lines of metrics_dir/recycles
    (`requests`: --maximum-requests, `memory`: --maximum-rss, `interval`: --restart-interval);
    each reason shown, 0 or not."""
    counts = dict.fromkeys(RECYCLE_REASONS, 0)
    try:
        with open(os.path.join(metrics_dir, 'recycles')) as f:
            for line in f:
                if line.strip() in counts:
                    counts[line.strip()] += 1
    except OSError:
        pass
    return (['# HELP whisk_process_recycles_total Application processes whisk recycled gracefully, by reason '
             '(requests: --maximum-requests; memory: --maximum-rss; interval: --restart-interval).',
             '# TYPE whisk_process_recycles_total counter']
            + ['whisk_process_recycles_total{reason="%s"} %d' % (reason, counts[reason]) for reason in RECYCLE_REASONS])


def acme_lines(name, certificate):
    """--acme-email: 1 once mod_md has a certificate in place (the file `certificate`), 0
    while it is pending; nothing without a name."""
    if not name:
        return []
    return ['# HELP whisk_acme_certificate_ready Whether the certificate whisk obtains (--acme-email) is in place: 0 while it is pending.',
            '# TYPE whisk_acme_certificate_ready gauge',
            'whisk_acme_certificate_ready{name="%s"} %d' % (name, os.path.exists(certificate))]


# prometheus_client's files of gauges whose value is a live process's (multiprocess_mode live*).
LIVE_GAUGE_FILE = re.compile(r'^gauge_live[a-z]*_(\d+)\.db$')


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass
    return True


def application_lines(directory):
    """The application's own metrics (prometheus_client's multiprocess files in `directory`,
    common.share_application_metrics), each metric once, summed over every process, those that
    have gone included (counters keep their counts); live gauges of processes that are gone
    (killed before they could mark themselves) marked dead first. Nothing when the directory
    holds no files; a comment when prometheus_client cannot be imported here."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    if not any(n.endswith('.db') for n in names):
        return []
    try:
        from prometheus_client import CollectorRegistry, generate_latest, multiprocess
    except ImportError as error:
        return ['# whisk: the application\'s metrics are not shown: prometheus_client cannot be imported here (%s)' % error]
    for name in names:
        live = LIVE_GAUGE_FILE.match(name)
        if live and not _alive(int(live.group(1))):
            multiprocess.mark_process_dead(int(live.group(1)), directory)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=directory)
    return generate_latest(registry).decode('utf-8').rstrip('\n').split('\n')


def metrics_application(status_url, metrics_dir, threads, asgi, acme_name, acme_certificate, application_metrics_dir='', virtual_env=''):
    """The WSGI application of /.whisk/metrics.

    status_url: mod_status's ?auto page over the loopback; metrics_dir: where the
    application's processes report; threads: request threads of a daemon process; asgi: the
    reports are ASGI processes' (not mod_wsgi daemons'); acme_name, acme_certificate: the
    name mod_md certifies and the file it serves once it has one ('' without --acme-email);
    application_metrics_dir: where the application's processes keep their prometheus_client
    metrics (application_lines), and virtual_env the environment prometheus_client may be
    installed in ('' for none)."""
    add_virtual_env(virtual_env)

    def application(environ, start_response):
        reports, starts = read_reports(metrics_dir)
        figures = (asgi_lines(reports, starts) if asgi else wsgi_lines(reports, starts, threads)) + recycle_lines(metrics_dir)
        status = read_status(status_url)
        lines = apache_lines(status) + response_cache_lines(status) + figures + acme_lines(acme_name, acme_certificate)
        if application_metrics_dir:
            lines += application_lines(application_metrics_dir)
        body = ('\n'.join(lines) + '\n').encode()
        start_response('200 OK', [('Content-Type', 'text/plain; version=0.0.4; charset=utf-8'),
                                  ('Content-Length', str(len(body))),
                                  ('Cache-Control', 'no-store')])
        return [body]
    return application
