"""The WSGI side: loads the application into a mod_wsgi daemon process (or Apache's child
with --embedded-mode) and handles every request for it.

handler.wsgi calls start() once, when the daemon starts (WSGIImportScript), and mod_wsgi
calls the function it returns for every request (WSGIHandlerScript), both in the %{GLOBAL}
application group."""
import collections
import hashlib
import inspect
import io
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
import types

from . import state
from .common import application_paths, health_changed, mark_ready, metrics_started, share_application_metrics, write_report
from .interrupt import Interrupter, interruptible
from .otlp import exporter_from_environment, request_spans
from .recycle import Recycler
from .shared_cache import wsgi_private_cookies
from .timing import mod_wsgi_seconds, wsgi_timed

# A chunked body is read into memory up to this size, then into a temporary file.
SPOOL_IN_MEMORY = 1024 * 1024


def load_script(path):
    """As mod_wsgi loads a WSGI script file: its source compiled and run as a module named
    after the path's hash, whatever the file's suffix (.wsgi, .py or none)."""
    name = '_mod_wsgi_' + hashlib.md5(path.encode('utf-8'), usedforsecurity=False).hexdigest()
    module = types.ModuleType(name)
    module.__file__ = path
    sys.modules[name] = module
    try:
        with open(path, 'rb') as source:
            code = compile(source.read(), path, 'exec', dont_inherit=True)
        exec(code, module.__dict__)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def load(application_type, entry_point, callable_object):
    """The WSGI application: `callable_object` of a script file or an importable module, or
    what a Paste Deploy .ini file builds (with its [loggers], as paster does)."""
    if application_type == 'script':
        return getattr(load_script(entry_point), callable_object)
    if application_type == 'module':
        import importlib
        module = importlib.import_module(entry_point)
        return getattr(module, callable_object)
    if application_type == 'paste':
        import configparser
        import logging.config
        parser = configparser.ConfigParser()
        parser.read(entry_point)
        if parser.has_section('loggers'):
            logging.config.fileConfig(entry_point, {
                '__file__': entry_point, 'here': os.path.dirname(entry_point)},
                disable_existing_loggers=False)
        from paste.deploy import loadapp
        return loadapp('config:' + entry_point)
    raise ValueError('unknown application type %r' % application_type)


def check_application(application, entry_point, callable_object):
    """Raises TypeError for what cannot serve WSGI requests: not callable, or an ASGI
    application given as WSGI (FastAPI, Starlette, Django's asgi.py), whose call is a
    coroutine function that would answer every request 500: the likely mistake, named."""
    if not callable(application):
        raise TypeError('%r in %s is not callable (--callable-object %s)' % (
            application, entry_point, callable_object))
    if inspect.iscoroutinefunction(application) or inspect.iscoroutinefunction(getattr(application, '__call__', None)):
        raise TypeError('%r in %s is an ASGI application (an async callable of scope, receive, send): '
                        'serve it with --application-type asgi' % (application, entry_point))


def check_health(application, health_check_path):
    """One ask of --health-check-path, as a GET from 127.0.0.1 with no body: (ok, why), where
    ok is a 2xx or 3xx status and why the status line or the exception."""
    environ = {
        'REQUEST_METHOD': 'GET', 'SCRIPT_NAME': '', 'PATH_INFO': health_check_path, 'QUERY_STRING': '',
        'SERVER_NAME': 'localhost', 'SERVER_PORT': '80', 'SERVER_PROTOCOL': 'HTTP/1.1',
        'HTTP_HOST': 'localhost', 'REMOTE_ADDR': '127.0.0.1', 'wsgi.version': (1, 0),
        'wsgi.url_scheme': 'http', 'wsgi.input': io.BytesIO(), 'wsgi.errors': sys.stderr,
        'wsgi.multithread': True, 'wsgi.multiprocess': True, 'wsgi.run_once': False,
    }
    status = []
    try:
        result = application(environ, lambda s, h, e=None: status.append(s) or (lambda b: None))
        try:
            for _ in result:
                pass
        finally:
            if hasattr(result, 'close'):
                result.close()
        return bool(status) and status[0][:1] in ('2', '3'), status[0] if status else 'no status'
    except Exception as error:
        return False, '%s: %s' % (type(error).__name__, error)


def _follow_health(application, health_check_path, ready_file, stopping_file):
    """--health-check-path: readiness follows the application's own check, asked every 2 s
    from this thread (not a request thread, so a busy application is still ready): 2xx or
    3xx makes /.whisk/ready 200, anything else 503 (the status is logged, not shown)."""
    last = None
    while True:
        time.sleep(2)
        ok, why = check_health(application, health_check_path)
        if ok != last:
            health_changed(health_check_path, ok, why)
            last = ok
        mark_ready(ready_file, stopping_file, ok)


class Waited(object):
    """--metrics: seconds this process's requests waited between Apache handing them over
    and this daemon process accepting them (mod_wsgi's queue time), summed."""
    seconds = 0.0


def _report_metrics(path):
    import mod_wsgi
    while True:
        try:
            m = mod_wsgi.process_metrics()
            report = {'time': time.time(), 'request_count': m['request_count'],
                      'active_requests': m['active_requests'], 'request_busy_time': m['request_busy_time'],
                      'queue_time': Waited.seconds, 'memory_rss': m['memory_rss'],
                      'cpu_time': m['cpu_user_time'] + m['cpu_system_time']}
            write_report(path, report)
        except Exception as error:
            sys.stderr.write('whisk: warning: --metrics report failed: %s\n' % error)
        time.sleep(2)


def _start_metrics(metrics_dir):
    """--metrics: this process's start recorded, and its figures every 2 s from a thread."""
    path = metrics_started(metrics_dir)
    if path:
        threading.Thread(target=_report_metrics, args=(path,), name='whisk-metrics', daemon=True).start()


def module_files(extra=()):
    """The files of every module loaded in this process (sources, not their bytecode), and
    `extra` (the Paste .ini, which is read rather than imported)."""
    files = set(extra)
    for module in list(sys.modules.values()):
        path = getattr(module, '__file__', None)
        if isinstance(path, str):
            files.add(path[:-1] if path.endswith('.pyc') else path)
    return files


def _watch_for_changes(extra, interval=1.0):
    """--reload-on-changes, as mod_wsgi-express does it: once a second, the modification time
    of each loaded module's file; at the first change this daemon process shuts itself down
    (SIGINT, mod_wsgi's graceful stop of one daemon process) and mod_wsgi starts another,
    which imports the code anew. Apache keeps listening meanwhile: requests wait for the new
    process (up to --connect-timeout) instead of failing."""
    seen = {}
    while True:
        for path in module_files(extra):
            try:
                mtime = os.stat(path).st_mtime
            except OSError:
                continue
            if seen.setdefault(path, mtime) != mtime:
                sys.stderr.write('whisk: --reload-on-changes: %s changed; restarting daemon process %d\n' % (path, os.getpid()))
                sys.stderr.flush()
                os.kill(os.getpid(), signal.SIGINT)
                return
        time.sleep(interval)


def raw_streams():
    """What the application prints to sys.stdout / sys.stderr, and so what Python logging's
    stream handlers emit, goes to the container's stdout / stderr exactly as written, one line
    per line: not through mod_wsgi's error-log stream, which prefixes every line with
    `[date] [wsgi:error] [pid N]` and escapes quotes (a JSON log line would no longer parse).
    Apache's own errors (and wsgi.errors) keep the error log's format."""
    for fd, name in ((1, 'stdout'), (2, 'stderr')):
        try:
            os.fstat(fd)
        except OSError:
            continue
        raw = io.BufferedWriter(io.FileIO(fd, 'w', closefd=False))
        setattr(sys, name, io.TextIOWrapper(raw, encoding='utf-8', errors='backslashreplace', line_buffering=True))


def buffer_chunked_body(environ, spool_in_memory=SPOOL_IN_MEMORY):
    """A chunked request body (WSGIChunkedRequest On) has no CONTENT_LENGTH, and PEP 3333
    frameworks that honour CONTENT_LENGTH (Django) read nothing: read it whole, as nginx
    does in front of gunicorn, and give it its length. Apache's LimitRequestBody bounds it.
    The application then sees a plain body: no Transfer-Encoding header (httpbin and other
    Werkzeug apps refuse a request that still says chunked, as if they had to decode it),
    and wsgi.input_terminated True (the input ends where the body does: the convention of
    Werkzeug's get_input_stream and of mod_wsgi, https://werkzeug.palletsprojects.com/en/stable/wsgi/)."""
    body = tempfile.SpooledTemporaryFile(max_size=spool_in_memory)
    stream = environ['wsgi.input']
    while True:
        block = stream.read(65536)
        if not block:
            break
        body.write(block)
    environ['CONTENT_LENGTH'] = str(body.tell())
    body.seek(0)
    environ['wsgi.input'] = body
    environ['wsgi.input_terminated'] = True
    environ.pop('HTTP_TRANSFER_ENCODING', None)
    return body


class Gate(object):
    """--embedded-mode: at most `size` requests run Python at once in this process; the others
    wait first come, first served, blocked outside the GIL. Without it, 50 Apache threads
    contend for one GIL and the slowest requests wait longest (docs/production.md: "Daemon mode or
    embedded mode")."""

    def __init__(self, size):
        self._free = size
        self._lock = threading.Lock()
        self._waiting = collections.deque()

    def enter(self):
        with self._lock:
            if self._free > 0 and not self._waiting:
                self._free -= 1
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        turn.acquire()  # released by leave(), which hands over its place

    def leave(self):
        with self._lock:
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._free += 1


class Leaving(object):
    """The response iterable, which leaves the gate once the server has closed it."""

    def __init__(self, iterable, leave):
        self._iterable = iterable
        self._leave = leave

    def __iter__(self):
        return iter(self._iterable)

    def close(self):
        try:
            if hasattr(self._iterable, 'close'):
                self._iterable.close()
        finally:
            self._leave()


def around(application, before, after):
    """The application with `before()` called as a request enters and `after()` once its
    response is closed (or the application raised)."""
    def call(environ, start_response):
        before()
        try:
            return Leaving(application(environ, start_response), after)
        except BaseException:
            after()
            raise
    return call


def gated(application, gate):
    """The application, entered through `gate` (None: called directly)."""
    return application if gate is None else around(application, gate.enter, gate.leave)


def counted(application, recycler):
    """The application, each finished request told to `recycler` (None: called directly)."""
    return application if recycler is None else around(application, lambda: None, recycler.request_done)


def _text(value):
    """An environ string (PEP 3333: bytes as Latin-1 characters) as the text it is in UTF-8."""
    return value.encode('latin-1').decode('utf-8', 'replace')


def span_attributes(environ, status):
    """The server span's attributes (OpenTelemetry's HTTP semantic conventions) for a WSGI
    request and its status line ('' when none was sent: 500)."""
    attributes = {
        'http.request.method': environ.get('REQUEST_METHOD', ''),
        'url.path': _text(environ.get('SCRIPT_NAME', '') + environ.get('PATH_INFO', '')),
        'url.scheme': environ.get('wsgi.url_scheme', 'http'),
        'client.address': environ.get('REMOTE_ADDR', ''),
        'server.address': _text(environ.get('HTTP_HOST', environ.get('SERVER_NAME', ''))).rsplit(':', 1)[0],
        'network.protocol.version': environ.get('SERVER_PROTOCOL', 'HTTP/1.1').split('/')[-1],
        'http.response.status_code': int(status.split()[0]) if status else 500,
    }
    if environ.get('HTTP_USER_AGENT'):
        attributes['user_agent.original'] = _text(environ['HTTP_USER_AGENT'])
    return attributes


def traced(application, exporter):
    """The application, each sampled request's spans given to `exporter` (otlp.py) once its
    response is closed (None: the application itself). The server span's id is the one Apache
    put in the traceparent the application sees; its parent the caller's (whisk_parent_id, from
    a trusted proxy); it starts when Apache read the request (mod_wsgi.request_start), and its
    `queue` child lasts until a daemon process accepted it (mod_wsgi.daemon_start)."""
    if exporter is None:
        return application

    def call(environ, start_response):
        now = time.time()
        read = mod_wsgi_seconds(environ, 'mod_wsgi.request_start') or now
        called = mod_wsgi_seconds(environ, 'mod_wsgi.daemon_start') or now
        status = []

        def recording_start_response(line, headers, exc_info=None):
            status[:] = [line]
            return start_response(line, headers, exc_info)

        def done():
            attributes = span_attributes(environ, status[0] if status else '')
            spans = request_spans(environ.get('HTTP_TRACEPARENT', ''), environ.get('whisk_parent_id', ''), environ.get('HTTP_TRACESTATE', ''),
                                  read, called, time.time(), attributes, attributes['http.response.status_code'] >= 500)
            if spans:
                exporter.add(*spans)
        return around(application, lambda: None, done)(environ, recording_start_response)
    return call


def evict_self():
    """mod_wsgi's graceful eviction of this daemon process (SIGUSR1, Apache's graceful signal,
    which mod_wsgi's daemons take as "finish the requests you have, then exit"; mod_wsgi then
    starts its successor)."""
    os.kill(os.getpid(), signal.SIGUSR1)


def split_path(environ, mount_point):
    """(SCRIPT_NAME, PATH_INFO) for the application. Requests reach the handler through a
    rewrite in the document root, so mod_wsgi's SCRIPT_NAME is a file-system artefact: the
    whole path is rebuilt and --mount-point taken off it, as mod_wsgi-express does. When a
    trusted proxy set SCRIPT_NAME (--trust-proxy-header X-Forwarded-Prefix or X-Script-Name:
    mod_wsgi.mount_point), it is kept, and the path is the one mod_wsgi saw before
    (mod_wsgi.script_name), as mod_wsgi-express's handler does.

    mount_point: as the environ holds paths (PEP 3333), the UTF-8 bytes, each a Latin-1
    character; '' for the root."""
    trusted = environ.get('mod_wsgi.mount_point')
    before = environ.get('SCRIPT_NAME' if trusted is None else 'mod_wsgi.script_name', '')
    path = before + environ.get('PATH_INFO', '')
    script_name = ''
    if mount_point and (path == mount_point or path.startswith(mount_point + '/')):
        script_name, path = mount_point, path[len(mount_point):]
    if trusted is not None:
        script_name = trusted.rstrip('/')
    return script_name, path


def request_handler(application, mount_point, chunked_request=False, metrics=False):
    """The function mod_wsgi calls for every request (WSGIHandlerScript's handle_request):
    the environ as the application expects it (SCRIPT_NAME/PATH_INFO, HTTPS, a chunked body
    given its length), mod_wsgi's queue time counted for --metrics, then the application."""
    def handle_request(environ, start_response):
        environ['SCRIPT_NAME'], environ['PATH_INFO'] = split_path(environ, mount_point)
        if environ['wsgi.url_scheme'] == 'https':
            # CGI's HTTPS, which mod_wsgi's daemon mode leaves out of the environ (mod_ssl sets
            # it in Apache's child; the scheme came through as wsgi.url_scheme).
            environ['HTTPS'] = 'on'
        if metrics and 'mod_wsgi.daemon_start' in environ:
            # mod_wsgi's queue time: from Apache handing the request over to a daemon accepting it.
            Waited.seconds += (int(environ['mod_wsgi.daemon_start']) - int(environ['mod_wsgi.queue_start'])) / 1e6
        if chunked_request and 'CONTENT_LENGTH' not in environ \
                and 'chunked' in environ.get('HTTP_TRANSFER_ENCODING', '').lower():
            buffer_chunked_body(environ)
        return application(environ, start_response)
    return handle_request


def start(application_type, entry_point, callable_object, working_directory, python_paths, mount_point,
          virtual_env, chunked_request, reload_on_changes, concurrency, metrics_dir, health_check_path,
          ready_file, stopping_file, maximum_requests=0, maximum_requests_jitter=0, maximum_rss=0, interrupt_timeout=0,
          server_timing=False, application_metrics_dir='', restart_interval=0, restart_interval_jitter=0,
          cache_responses=False):
    """Loads the application and returns the request handler (handler.wsgi's
    handle_request). The arguments are whisk's options (see entrypoint/plan/config/): strings
    ('' for none), lists of strings, booleans, concurrency the --embedded-mode gate's
    size (0: no gate), and the recycling limits (recycle.py: maximum_requests when whisk
    counts them, with its jitter; maximum_rss in bytes; restart_interval in seconds when whisk
    times it, with its jitter; 0 for none) and --interrupt-timeout
    (interrupt.py; seconds, 0 for none), --server-timing (timing.py), where the
    application's prometheus_client metrics go (common.share_application_metrics) and
    --cache-responses (shared_cache.py).

    Raises what loading raised, after logging it and making /.whisk/ready 503: mod_wsgi keeps
    no script that failed, and loads it again on the next request."""
    raw_streams()
    if metrics_dir:
        _start_metrics(metrics_dir)
    application_paths(working_directory, python_paths, virtual_env)
    share_application_metrics(application_metrics_dir)
    state.loaded, state.error = False, None
    try:
        application = load(application_type, entry_point, callable_object)
        check_application(application, entry_point, callable_object)
    except BaseException as error:
        state.error = '%s: %s' % (type(error).__name__, error)
        # Not ready, even if an earlier process of this server was (a reload or a restart that
        # brought code which no longer imports).
        mark_ready(ready_file, stopping_file, False)
        sys.stderr.write('whisk: ERROR: the application failed to load (%s %s); '
                         'every request is answered 500 until it loads, and '
                         '`whisk healthcheck` reports unhealthy.\n%s' % (
                             application_type, entry_point, traceback.format_exc()))
        sys.stderr.flush()
        raise
    state.loaded = True
    if reload_on_changes:
        extra = [entry_point] if application_type == 'paste' else []
        threading.Thread(target=_watch_for_changes, args=(extra,), name='whisk-reload-on-changes', daemon=True).start()
    if health_check_path:
        threading.Thread(target=_follow_health, args=(application, health_check_path, ready_file, stopping_file),
                         name='whisk-health-check', daemon=True).start()
    else:
        mark_ready(ready_file, stopping_file)
    mount = mount_point.encode('utf-8').decode('latin-1')
    recycler = None
    if maximum_requests or maximum_rss or restart_interval:
        recycler = Recycler(maximum_requests, maximum_requests_jitter, maximum_rss, evict_self, metrics_dir,
                            restart_interval, restart_interval_jitter)
    interrupter = Interrupter(interrupt_timeout) if interrupt_timeout else None
    application = counted(gated(interruptible(application, interrupter), Gate(concurrency) if concurrency else None), recycler)
    if server_timing:
        application = wsgi_timed(application)
    if cache_responses:
        application = wsgi_private_cookies(application)
    application = traced(application, exporter_from_environment())
    return request_handler(application, mount, chunked_request, bool(metrics_dir))
