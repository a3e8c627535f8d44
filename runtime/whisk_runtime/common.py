"""Shared by the WSGI handler, the ASGI process and --service-script processes: sys.path as
the application expects it, the readiness files, --health-check-path's log line and
--metrics' files."""
import atexit
import json
import os
import site
import sys


def use_application_path(environ=None):
    """The application's PATH: whisk's launcher starts Apache with the system's directories
    alone (root runs nothing the application's user can write) and keeps the container's
    PATH aside in WHISK_APP_PATH, given back here to the application's processes."""
    environ = os.environ if environ is None else environ
    app_path = environ.pop('WHISK_APP_PATH', None)
    if app_path is not None:
        environ['PATH'] = app_path


def add_virtual_env(virtual_env):
    """The virtual environment's site-packages, where a virtual environment puts it: after
    the standard library, before the system's site directories. sys.prefix stays Debian's
    /usr, so Debian's packages find their data (pyproj: /usr/share/proj).

    virtual_env: the environment's directory, or '' for none."""
    if sys.prefix != sys.base_prefix:
        # Embedded Python finds python3 on PATH (/opt/venv/bin first in whisk:onbuild), and
        # site.venv() then makes the environment sys.prefix; its site-packages stays on sys.path.
        sys.prefix, sys.exec_prefix = sys.base_prefix, sys.base_exec_prefix
    if not virtual_env:
        return
    before = list(sys.path)
    site.addsitedir(os.path.join(virtual_env, 'lib', 'python%d.%d' % sys.version_info[:2], 'site-packages'))
    added = [p for p in sys.path if p not in before]
    rest = [p for p in sys.path if p in before]
    system = [i for i, p in enumerate(rest) if p.endswith(('site-packages', 'dist-packages'))]
    at = system[0] if system else len(rest)
    sys.path[:] = rest[:at] + added + rest[at:]


def prepend_paths(working_directory, python_paths):
    """The working directory, then --python-path's directories (and what their .pth files
    add), at the front of sys.path, in that order, each once."""
    before = list(sys.path)
    for entry in python_paths:
        site.addsitedir(entry)  # processes .pth files, appends
    added = [p for p in sys.path if p not in before]
    front = []
    for p in [working_directory] + list(python_paths) + added:
        if p not in front:
            front.append(p)
    sys.path[:] = front + [p for p in sys.path if p not in front]


def application_paths(working_directory, python_paths, virtual_env):
    """sys.path and PATH as the application expects them (the three steps above)."""
    use_application_path()
    add_virtual_env(virtual_env)
    prepend_paths(working_directory, python_paths)


def mark_ready(ready_file, stopping_file, ready=True):
    """/.whisk/ready answers 200 from now on (Apache serves ready_file), unless a stop signal
    has come (the shutdown-delay supervisor created stopping_file and removed ready_file);
    or, with ready False, 503 again."""
    try:
        if not ready:
            os.unlink(ready_file)
        elif not os.path.exists(stopping_file):
            open(ready_file, 'a').close()
    except FileNotFoundError:
        pass
    except OSError as error:
        sys.stderr.write('whisk: warning: /.whisk/ready: cannot change %s (%s)\n' % (ready_file, error))


def health_changed(health_check_path, ok, why):
    """--health-check-path answered differently from last time: say so (the status, not the body)."""
    sys.stderr.write('whisk: --health-check-path %s: %s; /.whisk/ready now %s\n' % (
        health_check_path, why, '200' if ok else '503'))
    sys.stderr.flush()


def metrics_started(metrics_dir):
    """--metrics: this process's start, as a line of metrics_dir/starts (metrics.wsgi counts
    them, restarts included). Returns the file its figures go to every 2 s (PID.json), or
    None when metrics_dir cannot be written (a warning says why)."""
    try:
        os.makedirs(metrics_dir, exist_ok=True)
        with open(os.path.join(metrics_dir, 'starts'), 'a') as f:
            f.write('%d\n' % os.getpid())
    except OSError as error:
        sys.stderr.write('whisk: warning: --metrics: cannot write %s (%s)\n' % (metrics_dir, error))
        return None
    return os.path.join(metrics_dir, '%d.json' % os.getpid())


def write_report(path, report):
    """Replaces path with report as JSON in one rename: metrics.wsgi never reads half a file."""
    with open(path + '.tmp', 'w') as f:
        json.dump(report, f)
    os.replace(path + '.tmp', path)


def share_application_metrics(directory):
    """--metrics: the application's own Prometheus metrics (prometheus_client) in multiprocess
    mode, so /.whisk/metrics adds up every process's
    (https://prometheus.github.io/client_python/multiprocess/): PROMETHEUS_MULTIPROC_DIR is
    `directory` (in the probe directory, made anew at each start) before the application
    imports prometheus_client, and when this process exits its live gauges are marked dead.
    Counters of processes that have gone stay in their files: their counts are not lost.

    directory: '' for none (no --metrics)."""
    if not directory:
        return
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as error:
        sys.stderr.write('whisk: warning: --metrics: cannot write %s (%s)\n' % (directory, error))
        return
    os.environ['PROMETHEUS_MULTIPROC_DIR'] = directory
    pid = os.getpid()

    def mark_dead():
        if 'prometheus_client' in sys.modules and os.getpid() == pid:
            from prometheus_client import multiprocess
            multiprocess.mark_process_dead(pid, directory)
    atexit.register(mark_dead)
