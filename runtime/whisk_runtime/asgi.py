"""One ASGI server process: Debian's uvicorn on a unix socket that Apache proxies to.

Each process is a mod_wsgi daemon process without request threads whose import script
(asgi-service.wsgi) replaced itself with `python3 asgi.py INDEX`, so mod_wsgi starts it again
whenever it exits, and stops it (SIGINT: uvicorn's graceful shutdown, lifespan shutdown
included) when Apache stops. The generated asgi.py calls main() with whisk's options."""
import asyncio
import importlib
import inspect
import os
import signal
import socket
import sys
import threading
import time
import traceback

from .common import application_paths, health_changed, mark_ready, metrics_started, share_application_metrics, write_report
from .otlp import exporter_from_environment, request_spans
from .recycle import Recycler
from .shared_cache import asgi_private_cookies
from .timing import asgi_timed, request_start

# At most this many bytes of a chunked body over --limit-request-body are read and dropped
# before the 413 goes out (so the proxy, still sending, is not cut off into a 502).
DRAIN_LIMIT = 64 * 1024 * 1024


def body_limit(app, limit, drain_limit=DRAIN_LIMIT):
    """--limit-request-body for an ASGI application, as Apache's LimitRequestBody answers a
    WSGI one (Apache does not apply it to the requests it proxies): a body whose
    Content-Length is over the limit gets 413 before the application sees the request; a
    chunked one that grows over it gets 413 if the application has not answered yet, and the
    application receives http.disconnect (what it would if the client had gone)."""
    async def too_large(send):
        body = b'Request Entity Too Large\n'
        await send({'type': 'http.response.start', 'status': 413,
                    'headers': [(b'content-type', b'text/plain; charset=utf-8'), (b'content-length', str(len(body)).encode()),
                                (b'connection', b'close')]})
        await send({'type': 'http.response.body', 'body': body})

    async def limited(scope, receive, send):
        if scope['type'] != 'http':
            return await app(scope, receive, send)
        length = dict(scope['headers']).get(b'content-length')
        if length is not None and length.isdigit() and int(length) > limit:
            return await too_large(send)
        state = {'received': 0, 'started': False, 'over': False}

        async def drain(message):
            # The rest of the body, read and dropped (drain_limit at most), so the 413
            # reaches the client instead of a reset connection.
            drained = 0
            while message['type'] == 'http.request' and message.get('more_body') and drained < drain_limit:
                message = await receive()
                drained += len(message.get('body', b''))

        async def limited_receive():
            if state['over']:
                return {'type': 'http.disconnect'}
            message = await receive()
            if message['type'] == 'http.request':
                state['received'] += len(message.get('body', b''))
                if state['received'] > limit:
                    state['over'] = True
                    if not state['started']:
                        state['started'] = True
                        await drain(message)
                        await too_large(send)
                    return {'type': 'http.disconnect'}
            return message

        async def tracked_send(message):
            if state['over']:
                return  # the 413 went out; the application's answer has nowhere to go
            if message['type'] == 'http.response.start':
                state['started'] = True
            await send(message)

        return await app(scope, limited_receive, tracked_send)
    return limited


# This process's WebSockets: open now, and refused since it started (/.whisk/metrics).
WEBSOCKETS = {'open': 0, 'refused': 0}


def websocket_limit(app, limit, counts=WEBSOCKETS):
    """--max-websockets, this process's share: Apache holds a thread for each open WebSocket,
    so past the limit a handshake is accepted and closed at once with 1013 (try again later),
    and counted (/.whisk/metrics: asgi_websockets_refused_total); the application never sees
    it. Probes, static files and plain requests keep Apache's other threads."""
    async def limited(scope, receive, send):
        if scope['type'] != 'websocket':
            return await app(scope, receive, send)
        if counts['open'] >= limit:
            counts['refused'] += 1
            message = await receive()
            if message['type'] == 'websocket.connect':
                await send({'type': 'websocket.accept'})
                await send({'type': 'websocket.close', 'code': 1013, 'reason': 'too many WebSockets open; try again later'})
            return
        counts['open'] += 1
        try:
            return await app(scope, receive, send)
        finally:
            counts['open'] -= 1
    return limited


# Non-empty once this process is stopping (Server._drain_keep_alive).
CLOSING = []


def close_when_draining(app, closing=CLOSING):
    """Once this process is stopping (`closing` non-empty), each response says Connection:
    close (uvicorn then closes the connection after it, and Apache does not pool it), so no
    keep-alive connection from Apache is left that Apache may still send a request on."""
    async def wrapped(scope, receive, send):
        if not closing or scope['type'] != 'http':
            return await app(scope, receive, send)

        async def send_closing(message):
            if message['type'] == 'http.response.start':
                message = dict(message, headers=[*message.get('headers', []), (b'connection', b'close')])
            await send(message)
        return await app(scope, receive, send_closing)
    return wrapped


def counted(app, recycler):
    """The application, each finished HTTP request told to `recycler` (recycle.py; None: the
    application itself). WebSockets and the lifespan are not requests."""
    if recycler is None:
        return app

    async def wrapped(scope, receive, send):
        if scope['type'] != 'http':
            return await app(scope, receive, send)
        try:
            return await app(scope, receive, send)
        finally:
            recycler.request_done()
    return wrapped


PARENT_SPAN = b'x-whisk-parent-span'


def without_parent_span(scope):
    """The scope without X-Whisk-Parent-Span (the caller's span, which Apache sets for
    whisk's own span: not the application's to see), and that header's value ('' for none)."""
    headers = scope.get('headers', ())
    parent = next((v for n, v in headers if n == PARENT_SPAN), None)
    if parent is None:
        return scope, ''
    return dict(scope, headers=[(n, v) for n, v in headers if n != PARENT_SPAN]), parent.decode('latin-1')


def traced(app, exporter):
    """The application, each sampled HTTP request's spans given to `exporter` (otlp.py) once
    the application has returned (None: the application itself, X-Whisk-Parent-Span taken off).
    As for WSGI (handler.traced): the server span's id is the traceparent's, its parent the
    caller's (X-Whisk-Parent-Span), it starts when Apache read the request (X-Request-Start)
    and its `queue` child lasts until the application was called."""
    if exporter is None:
        async def untraced(scope, receive, send):
            if scope['type'] == 'http':
                scope = without_parent_span(scope)[0]
            return await app(scope, receive, send)
        return untraced

    async def wrapped(scope, receive, send):
        if scope['type'] != 'http':
            return await app(scope, receive, send)
        called = time.time()
        scope, parent = without_parent_span(scope)
        headers = {}
        for name, value in scope.get('headers', ()):
            headers.setdefault(name, value.decode('latin-1'))
        read = request_start(scope.get('headers', ())) or called
        status = []

        async def recording_send(message):
            if message['type'] == 'http.response.start':
                status.append(message['status'])
            await send(message)
        try:
            return await app(scope, receive, recording_send)
        finally:
            code = status[0] if status else 500
            client = scope.get('client') or ('', 0)
            attributes = {'http.request.method': scope.get('method', ''), 'url.path': scope.get('path', ''),
                          'url.scheme': scope.get('scheme', 'http'), 'client.address': client[0],
                          'server.address': headers.get(b'host', '').rsplit(':', 1)[0],
                          'network.protocol.version': scope.get('http_version', '1.1'), 'http.response.status_code': code}
            if headers.get(b'user-agent'):
                attributes['user_agent.original'] = headers[b'user-agent']
            spans = request_spans(headers.get(b'traceparent', ''), parent, headers.get(b'tracestate', ''),
                                  read, called, time.time(), attributes, code >= 500)
            if spans:
                exporter.add(*spans)
    return wrapped


def awaiting_stack(coroutine):
    """Where a suspended coroutine waits, as a traceback's lines: its frame and those of the
    coroutines it awaits, down to the innermost (asyncio's Task.print_stack shows only the first)."""
    frames = []
    while coroutine is not None:
        frame = getattr(coroutine, 'cr_frame', None) or getattr(coroutine, 'gi_frame', None)
        if frame is not None:
            frames.append((frame, frame.f_lineno))
        coroutine = getattr(coroutine, 'cr_await', None) or getattr(coroutine, 'gi_yieldfrom', None)
    return ''.join(traceback.StackSummary.extract(frames).format()) or '  (no frame)\n'


def interruptible(app, timeout):
    """--interrupt-timeout for an ASGI application: an HTTP request still running after
    `timeout` seconds has its task cancelled (asyncio's CancelledError where it awaits), the log
    its stack, and the client a 504 if the response has not started. A request that never
    awaits cannot be cancelled (the event loop is stuck with it). 0: the application itself."""
    if not timeout:
        return app

    async def wrapped(scope, receive, send):
        if scope['type'] != 'http':
            return await app(scope, receive, send)
        started = []

        async def tracking_send(message):
            if message['type'] == 'http.response.start':
                started.append(True)
            await send(message)
        task = asyncio.ensure_future(app(scope, receive, tracking_send))
        try:
            done, _ = await asyncio.wait({task}, timeout=timeout)
        except BaseException:
            task.cancel()
            raise
        if done:
            return task.result()
        sys.stderr.write('whisk: --interrupt-timeout %s: %s %s has run %.1f s; its task is cancelled, where it awaits now:\n%s'
                         % (timeout, scope.get('method', ''), scope.get('path', ''), timeout, awaiting_stack(task.get_coro())))
        sys.stderr.flush()
        task.cancel()
        try:
            await task
        except (asyncio.CancelledError, Exception):
            pass
        if not started:
            body = b"Gateway Timeout: the request ran past the server's time limit.\n"
            await send({'type': 'http.response.start', 'status': 504,
                        'headers': [(b'content-type', b'text/plain; charset=utf-8'), (b'content-length', str(len(body)).encode())]})
            await send({'type': 'http.response.body', 'body': body})
    return wrapped


def looks_like_wsgi(app):
    """A plain function of two parameters (environ, start_response) and no coroutine: a WSGI
    application given as ASGI, the likely mistake to name. A callable of *args (a wrapper
    that passes them on, whatever it wraps) is not named."""
    target = app if inspect.isfunction(app) or inspect.ismethod(app) else getattr(app, '__call__', None)
    if target is None or inspect.iscoroutinefunction(target):
        return False
    try:
        parameters = list(inspect.signature(target).parameters.values())
    except (TypeError, ValueError):
        return False
    if any(p.kind == p.VAR_POSITIONAL for p in parameters):
        return False
    required = [p for p in parameters if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(required) == 2


async def ask_health(application, health_check_path, root_path='', lifespan_state=None, timeout=10):
    """--health-check-path, asked of the application itself (not through Apache), as the WSGI
    handler asks a WSGI one: (ok, why), ok for a 2xx or 3xx status, why what it answered."""
    scope = {'type': 'http', 'asgi': {'version': '3.0', 'spec_version': '2.3'}, 'http_version': '1.1',
             'method': 'GET', 'scheme': 'http', 'path': health_check_path, 'raw_path': health_check_path.encode(),
             'query_string': b'', 'root_path': root_path, 'headers': [(b'host', b'localhost')],
             'client': ('127.0.0.1', 0), 'server': ('localhost', 80)}
    if lifespan_state is not None:
        scope['state'] = dict(lifespan_state)
    status = []
    asked = []

    async def receive():
        if asked:
            await asyncio.sleep(3600)  # no disconnect while the application answers
        asked.append(True)
        return {'type': 'http.request', 'body': b'', 'more_body': False}

    async def send(message):
        if message['type'] == 'http.response.start':
            status.append(message['status'])

    try:
        await asyncio.wait_for(application(scope, receive, send), timeout=timeout)
    except Exception as error:
        return False, '%s: %s' % (type(error).__name__, error)
    if not status:
        return False, 'no response'
    return 200 <= status[0] < 400, str(status[0])


def inherited_socket(fd, path):
    """The listening socket Apache's parent holds for this process at descriptor `fd` (a
    duplicate of it), if it is the unix socket bound at `path`; else None."""
    try:
        listener = socket.socket(fileno=os.dup(fd))
    except OSError:
        return None
    try:
        if listener.family == socket.AF_UNIX and listener.getsockname() == path:
            return listener
    except OSError:
        pass
    listener.close()
    return None


def uvicorn_settings(fd, root_path, keep_alive_timeout, graceful_timeout, websocket_max_message, known):
    """uvicorn.Config's keyword arguments, those this uvicorn knows (`known`: bookworm's 0.17
    lacks some of trixie's 0.32 settings)."""
    settings = dict(
        fd=fd, root_path=root_path, lifespan='auto',
        # Apache is the only client: it sends the client's address and scheme as one
        # X-Forwarded-For and X-Forwarded-Proto (httpd.conf removes any a client sent).
        proxy_headers=True, forwarded_allow_ips='*',
        # Apache's access log is the access log; uvicorn logs its errors.
        access_log=False, log_level='warning', timeout_keep_alive=keep_alive_timeout,
        # Apache names itself and dates the response.
        server_header=False, date_header=False,
        # Connections still open this long into a stop are closed (trixie's uvicorn).
        timeout_graceful_shutdown=graceful_timeout,
        # A WebSocket message is at most --limit-request-body bytes (else closed with 1009), and
        # at most 4 received messages wait for the application: about 4 such messages buffered
        # per slow reader (uvicorn's defaults: 16 MiB and 32).
        ws_max_size=websocket_max_message, ws_max_queue=4)
    return {k: v for k, v in settings.items() if k in known}


def _server_class(uvicorn, application, o):
    """uvicorn's Server, with what whisk adds (`o`: main()'s settings)."""
    apache = os.getppid()

    def moved_on():
        """Apache tells its mod_wsgi daemons of a stop in a way exec did away with, so this
        process looks for it itself; true once Apache's graceful stop begins (the shutdown-delay
        supervisor writes draining_file just before it stops Apache) or Apache is gone."""
        return os.getppid() != apache or os.path.exists(o['draining_file'])

    class Server(uvicorn.Server):
        """uvicorn, with /.whisk/ready made once the lifespan startup is done and the socket
        listens. SIGINT or SIGTERM (mod_wsgi's, at a graceful restart or a stop) is uvicorn's
        graceful shutdown: the socket stays open in Apache's parent, so the connections that
        come meanwhile wait in its queue for this process's successor."""

        def _watch(self):
            """Four times a second: a stop of Apache's stops this process gracefully (requests in
            flight finish, WebSockets get a close frame, the lifespan shutdown runs)."""
            while not self.should_exit:
                time.sleep(0.25)
                if moved_on():
                    self.should_exit = True

        async def startup(self, sockets=None):
            await super().startup(sockets=sockets)
            if self.started and not self.should_exit:
                threading.Thread(target=self._watch, daemon=True).start()
                if o['metrics_dir']:
                    self._metrics_task = asyncio.ensure_future(self._report_metrics())
                if o['health_check_path']:
                    self._health_task = asyncio.ensure_future(self._follow_health_check())
                else:
                    mark_ready(o['ready_file'], o['stopping_file'])

        async def _follow_health_check(self):
            """Every 2 s: /.whisk/ready answers 200 while --health-check-path does."""
            last = None
            while not self.should_exit:
                state = getattr(getattr(self, 'lifespan', None), 'state', None)
                ok, why = await ask_health(application, o['health_check_path'], o['root_path'], state)
                if ok != last:
                    health_changed(o['health_check_path'], ok, why)
                    last = ok
                mark_ready(o['ready_file'], o['stopping_file'], ok)
                await asyncio.sleep(2)

        async def _report_metrics(self):
            """--metrics: this process's start as a line of metrics_dir/starts, and its figures
            every 2 s as metrics_dir/PID.json, for metrics.wsgi to add up (read on the event loop,
            where uvicorn changes them)."""
            path = metrics_started(o['metrics_dir'])
            if not path:
                return
            page = os.sysconf('SC_PAGE_SIZE')
            while not self.should_exit:
                state = self.server_state
                # uvicorn's WebSocket protocols: WebSocketProtocol (websockets), WSProtocol (wsproto).
                websockets = sum(1 for c in state.connections if type(c).__name__ in ('WebSocketProtocol', 'WSProtocol'))
                with open('/proc/self/statm') as f:
                    rss = int(f.read().split()[1]) * page
                times = os.times()
                report = {'time': time.time(), 'asgi': True, 'request_count': state.total_requests,
                          'active_requests': max(0, len(state.tasks) - websockets),
                          'connections': len(state.connections) - websockets, 'websockets': websockets,
                          'websockets_refused': WEBSOCKETS['refused'],
                          'memory_rss': rss, 'cpu_time': times.user + times.system}
                try:
                    write_report(path, report)
                except OSError:
                    pass
                await asyncio.sleep(2)

        async def shutdown(self, sockets=None):
            """Each open WebSocket first gets a close frame, 1012 (service restart), so its client
            knows to reconnect (bookworm's uvicorn would drop the connection)."""
            closing = [c.close(1012, 'server restarting') for c in list(self.server_state.connections)
                       if getattr(c, 'open', False) and inspect.iscoroutinefunction(getattr(c, 'close', None))]
            if closing:
                await asyncio.wait([asyncio.ensure_future(c) for c in closing], timeout=5)
            await self._drain_keep_alive()
            await super().shutdown(sockets=sockets)

        async def _drain_keep_alive(self):
            """Before uvicorn's own shutdown closes the idle keep-alive connections: Apache reuses
            a pooled connection until it has been idle pool_ttl seconds (BalancerMember ttl=), so
            closing one sooner races a request Apache is sending on it (the client then gets its
            connection reset: AH01102, "error reading status line"). So this process stops
            accepting (the socket stays open in Apache's parent: new connections wait for its
            successor), answers what still comes on its connections with Connection: close, and
            closes an idle one only once Apache can no longer pick it (idle past pool_ttl)."""
            pool_ttl = o['pool_ttl']
            for listening in self.servers:
                listening.close()
            CLOSING.append(True)
            loop = asyncio.get_running_loop()
            until = loop.time() + pool_ttl + 2
            while loop.time() < until and not self.force_exit:
                waiting = False
                for connection in list(self.server_state.connections):
                    cycle = getattr(connection, 'cycle', False)
                    if cycle is False:
                        continue  # a WebSocket: closed above
                    timer = getattr(connection, 'timeout_keep_alive_task', None)
                    if cycle is not None and not cycle.response_complete:
                        cycle.keep_alive = False  # begun before CLOSING: its response closes the connection
                        waiting = True
                    elif timer is not None and loop.time() - (timer.when() - connection.timeout_keep_alive) > pool_ttl + 0.2:
                        connection.shutdown()  # idle, and Apache no longer reuses it
                    else:
                        waiting = True
                if not waiting:
                    break
                await asyncio.sleep(0.05)

    return Server


def main(index, entry_point, callable_object, working_directory, python_paths, virtual_env, root_path, sockets,
         first_fd, ready_file, stopping_file, draining_file, keep_alive_timeout, pool_ttl, graceful_timeout,
         metrics_dir, limit_request_body, health_check_path, max_websockets, websocket_max_message,
         maximum_requests=0, maximum_requests_jitter=0, maximum_rss=0, interrupt_timeout=0, server_timing=False,
         application_metrics_dir='', restart_interval=0, restart_interval_jitter=0, cache_responses=False):
    """Runs ASGI process `index` (its socket is sockets[index], inherited at first_fd + index)
    until it is stopped. The other arguments are whisk's options (entrypoint/plan/config/asgi.ts):
    strings ('' for none), seconds, bytes (0: no limit) and counts; the recycling limits as in
    recycle.py (a recycled process stops as at a restart, and mod_wsgi starts its successor);
    --server-timing (timing.py); where the application's prometheus_client metrics go
    (common.share_application_metrics); --cache-responses (shared_cache.py).
    Exits with 1, after 2 s,
    when the application cannot be served: it fails to import, is not callable or is WSGI, its
    lifespan startup fails, or the socket was not handed down."""
    o = dict(ready_file=ready_file, stopping_file=stopping_file, draining_file=draining_file, pool_ttl=pool_ttl,
             metrics_dir=metrics_dir, health_check_path=health_check_path, root_path=root_path)

    def fail(why, hint=''):
        """As a WSGI application that fails to import: the traceback, readiness 503, and a retry
        (mod_wsgi starts this process again once it exits)."""
        mark_ready(ready_file, stopping_file, False)
        sys.stderr.write('whisk: ERROR: the application failed to load (asgi %s:%s): %s%s; '
                         '/.whisk/ready answers 503 and `whisk healthcheck` reports unhealthy until it '
                         'loads; retrying in 2 s.\n%s' % (entry_point, callable_object, why, hint,
                                                          traceback.format_exc() if sys.exc_info()[0] else ''))
        sys.stderr.flush()
        time.sleep(2)
        sys.exit(1)

    # The mod_wsgi daemon this process was may have blocked or redirected signals; exec kept
    # that. uvicorn stops gracefully on SIGINT and SIGTERM.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT})
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    application_paths(working_directory, python_paths, virtual_env)
    share_application_metrics(application_metrics_dir)
    os.chdir(working_directory)
    try:
        import uvicorn
        application = getattr(importlib.import_module(entry_point), callable_object)
    except Exception as error:
        fail('%s: %s' % (type(error).__name__, error))
    if not callable(application):
        fail('%r is not callable (--callable-object %s)' % (application, callable_object))
    if looks_like_wsgi(application):
        fail('it takes (environ, start_response)', ', which makes it a WSGI application: serve it with --application-type module')
    if limit_request_body:
        application = body_limit(application, limit_request_body)
    application = close_when_draining(websocket_limit(interruptible(application, interrupt_timeout), max_websockets))
    server = None
    retired = []

    def retire():
        """uvicorn's graceful shutdown, as at a restart (Server.shutdown below); at once if the
        server does not exist yet (a --restart-interval shorter than the start)."""
        retired.append(True)
        if server is not None:
            server.should_exit = True
    if maximum_requests or maximum_rss or restart_interval:
        application = counted(application, Recycler(maximum_requests, maximum_requests_jitter, maximum_rss, retire, metrics_dir,
                                                    restart_interval, restart_interval_jitter))
    if server_timing:
        application = asgi_timed(application)
    if cache_responses:
        application = asgi_private_cookies(application)
    application = traced(application, exporter_from_environment())

    # The socket Apache's parent holds for this process (asgi-sockets.py bound it before Apache
    # started, at first_fd + index): it outlives this process, so a restart refuses no connection.
    listener = inherited_socket(first_fd + index, sockets[index])
    if listener is None:
        sys.stderr.write('whisk: ERROR: ASGI process %d: its socket %s was not handed down by Apache (descriptor %d); '
                         'start the server with the whisk command, which binds it\n' % (index, sockets[index], first_fd + index))
        sys.stderr.flush()
        time.sleep(2)
        sys.exit(1)
    settings = uvicorn_settings(listener.fileno(), root_path, keep_alive_timeout, graceful_timeout, websocket_max_message,
                                inspect.signature(uvicorn.Config).parameters)
    server = _server_class(uvicorn, application, o)(uvicorn.Config(application, **settings))
    server.should_exit = bool(retired)
    server.run()
    if not server.started:
        # uvicorn returns without starting when the lifespan startup failed (it logged why).
        fail('its lifespan startup failed')
