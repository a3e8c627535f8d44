"""--interrupt-timeout (mod_wsgi 6's name): a WSGI request still running after this many
seconds gets RequestInterrupted raised in its own thread (CPython's PyThreadState_SetAsyncExc,
as mod_wsgi 6 injects its RequestTimeout), the client a 504 if nothing of the response was
sent yet, and the log the request and its Python stack; the process and its other requests
carry on. The exception lands when the thread next runs Python bytecode: a thread blocked in
C (a socket read without a timeout) is reached only once the call returns, and
--request-timeout (mod_wsgi restarts the daemon) stays the backstop for it.

RequestInterrupted derives from BaseException, as mod_wsgi's does: Flask and Django catch
Exception around a view and would turn an Exception into their own 500."""
import ctypes
import sys
import threading
import time
import traceback


class RequestInterrupted(BaseException):
    """The request ran past --interrupt-timeout (whisk raised this in its thread)."""


def inject(ident, exception):
    """Raises `exception` (a class) in thread `ident` when it next runs Python; None clears
    one not yet raised. Returns how many threads were changed (0: the thread is gone)."""
    return ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(exception) if exception else None)


class Request(object):
    """One running request: its thread, start, what the log names it by, and its state."""

    def __init__(self, ident, started, name):
        self.ident = ident
        self.started = started
        self.name = name
        self.interrupted = False
        self.delivered = False


class Interrupter(object):
    """Watches the running requests of a process from a thread of its own (4 times a
    second at most) and interrupts any that runs past `timeout` seconds, once.

    `clock`, `inject` and `frames` are for the tests; `watch` False starts no thread
    (the tests call check())."""

    def __init__(self, timeout, clock=time.monotonic, inject=inject, frames=sys._current_frames, watch=True):
        self.timeout = timeout
        self._clock = clock
        self._inject = inject
        self._frames = frames
        self._running = {}
        self._lock = threading.Lock()
        if watch:
            threading.Thread(target=self._watch, name='whisk-interrupt-timeout', daemon=True).start()

    def enter(self, name):
        """A request starts in this thread; returns its Request."""
        request = Request(threading.get_ident(), self._clock(), name)
        with self._lock:
            self._running[request.ident] = request
        return request

    def leave(self, request):
        """The request is over: it is never interrupted from now on, and an interruption that
        has not landed yet is taken back (it would hit the thread's next request)."""
        with self._lock:
            self._running.pop(request.ident, None)
            if request.interrupted and not request.delivered:
                self._inject(request.ident, None)

    def check(self):
        """Interrupts each request past the timeout (once), logging it with its stack."""
        now = self._clock()
        with self._lock:
            late = [r for r in self._running.values() if not r.interrupted and now - r.started >= self.timeout]
            for r in late:
                r.interrupted = True
                self._inject(r.ident, RequestInterrupted)
            frames = self._frames() if late else {}
        for r in late:
            frame = frames.get(r.ident)
            stack = ''.join(traceback.format_stack(frame)) if frame is not None else '  (no Python frame)\n'
            sys.stderr.write('whisk: --interrupt-timeout %s: %s has run %.1f s; RequestInterrupted raised in its thread, '
                             'where it runs now:\n%s' % (self.timeout, r.name, now - r.started, stack))
        if late:
            sys.stderr.flush()

    def _watch(self):
        interval = min(0.25, self.timeout / 4.0)
        while True:
            time.sleep(interval)
            self.check()


GATEWAY_TIMEOUT = b'Gateway Timeout: the request ran past the server\'s time limit.\n'


class Answer(object):
    """The response iterable of an interruptible request: an interruption while the body is
    produced is answered 504 if nothing was sent yet; closing it ends the request."""

    def __init__(self, iterable, request, timeout_answer, leave):
        self._iterable = iterable
        self._request = request
        self._timeout_answer = timeout_answer
        self._leave = leave

    def __iter__(self):
        sent = False
        try:
            for chunk in self._iterable:
                sent = sent or bool(chunk)
                yield chunk
        except RequestInterrupted:
            self._request.delivered = True
            if sent:
                raise
            for chunk in self._timeout_answer():
                yield chunk

    def close(self):
        try:
            if hasattr(self._iterable, 'close'):
                self._iterable.close()
        finally:
            self._leave(self._request)


def interruptible(application, interrupter):
    """The application, each request interrupted past the timeout (None: the application
    itself). An interrupted request that has sent nothing is answered 504; one that has sent
    part of its body is cut (the exception reaches mod_wsgi, which logs it and closes the
    connection)."""
    if interrupter is None:
        return application

    def call(environ, start_response):
        request = interrupter.enter('%s %s' % (environ.get('REQUEST_METHOD', ''), environ.get('REQUEST_URI') or environ.get('PATH_INFO', '')))

        def timeout_answer():
            request.delivered = True
            sys.stderr.write('whisk: --interrupt-timeout: %s answered 504\n' % request.name)
            sys.stderr.flush()
            headers = [('Content-Type', 'text/plain; charset=utf-8'), ('Content-Length', str(len(GATEWAY_TIMEOUT)))]
            start_response('504 Gateway Timeout', headers, sys.exc_info())
            return [GATEWAY_TIMEOUT]

        try:
            return Answer(application(environ, start_response), request, timeout_answer, interrupter.leave)
        except RequestInterrupted:
            try:
                return timeout_answer()
            finally:
                interrupter.leave(request)
        except BaseException:
            interrupter.leave(request)
            raise
    return call
