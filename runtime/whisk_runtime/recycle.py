"""Recycling a process before it bloats: after --maximum-requests requests (plus up to
--maximum-requests-jitter more, drawn once a process, so the processes of a container do not
restart together: gunicorn's max_requests_jitter), after --restart-interval seconds (plus up
to --restart-interval-jitter more, drawn the same way), or once its resident memory passes
--maximum-rss (Granian's --workers-max-rss). The process then retires gracefully: it finishes
the requests it has and is replaced (a WSGI daemon asks mod_wsgi for its own graceful
eviction; an ASGI process stops as at a restart), and the socket it served stays open in
Apache's parent, so no request fails.

mod_wsgi's own memory-limit= caps only the data segment on Linux (a request past it gets a
MemoryError and the process stays), and its maximum-requests= and restart-interval= have no
jitter (restart-interval= restarts a group's daemons together): hence this."""
import os
import random
import sys
import threading
import time

MIB = 1024 * 1024

#: Resident memory is read at most this often (seconds) by a busy process: /proc/self/statm
#: costs microseconds, but there is no need to read it at every request.
RSS_INTERVAL = 1.0


def resident_bytes():
    """This process's resident memory in bytes (/proc/self/statm's second field, in pages)."""
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')


def recycled(metrics_dir, reason):
    """--metrics: one recycle of this process, as a line `REASON` of metrics_dir/recycles
    (metrics.wsgi counts them by reason). Nothing without metrics_dir or when it cannot be
    written (the log line has said it)."""
    if not metrics_dir:
        return
    try:
        with open(os.path.join(metrics_dir, 'recycles'), 'a') as f:
            f.write('%s\n' % reason)
    except OSError:
        pass


class Recycler(object):
    """Counts a process's finished requests, watches its memory and its age; calls `retire`
    once, when the process should be recycled.

    maximum_requests: 0 for no limit; jitter: the most requests added to it (drawn once,
    uniformly from 0 to jitter, by `draw`); maximum_rss: bytes, 0 for no limit; retire: a
    function of no arguments that makes the process stop gracefully (called from a request's
    thread or the timer's); metrics_dir: '' or where --metrics counts recycles;
    restart_interval: seconds, 0 for none, and interval_jitter the most seconds added to it
    (drawn as the requests' jitter): a timer thread retires the process then, busy or idle.
    `clock`, `rss` and `draw` are for the tests."""

    def __init__(self, maximum_requests, jitter, maximum_rss, retire, metrics_dir='',
                 restart_interval=0, interval_jitter=0, clock=time.monotonic, rss=resident_bytes, draw=random.randint):
        self.limit = maximum_requests + draw(0, jitter) if maximum_requests else 0
        self.lifetime = restart_interval + draw(0, interval_jitter) if restart_interval else 0
        self.maximum_rss = maximum_rss
        self.count = 0
        self.retiring = False
        self._retire = retire
        self._metrics_dir = metrics_dir
        self._clock = clock
        self._rss = rss
        self._next_check = 0.0
        self._lock = threading.Lock()
        if self.lifetime:
            timer = threading.Timer(self.lifetime, self._expire)
            timer.daemon = True
            timer.start()

    def request_done(self):
        """One request finished (its response closed): retire when a limit is reached."""
        with self._lock:
            if self.retiring:
                return
            self.count += 1
            reason = why = None
            if self.limit and self.count >= self.limit:
                reason, why = 'requests', '%d requests served (--maximum-requests)' % self.count
            elif self.maximum_rss and self._clock() >= self._next_check:
                self._next_check = self._clock() + RSS_INTERVAL
                rss = self._rss()
                if rss > self.maximum_rss:
                    reason = 'memory'
                    why = 'resident memory %d MiB is over --maximum-rss %d MiB' % (rss // MIB, self.maximum_rss // MIB)
            if reason is None:
                return
            self.retiring = True
        self._recycled(reason, why)

    def _expire(self):
        """The timer's: the lifetime drawn for this process has passed."""
        with self._lock:
            if self.retiring:
                return
            self.retiring = True
        self._recycled('interval', '%d s running (--restart-interval)' % self.lifetime)

    def _recycled(self, reason, why):
        """Says why the process is recycled (`reason`: the metric's label), and retires it."""
        sys.stderr.write('whisk: recycling process %d: %s; it finishes its requests and is replaced\n' % (os.getpid(), why))
        sys.stderr.flush()
        recycled(self._metrics_dir, reason)
        self._retire()
