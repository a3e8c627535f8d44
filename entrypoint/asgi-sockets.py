# whisk's ASGI socket holder: asgi-sockets SOCKETS-JSON COMMAND ARGS...
# Binds the unix socket of each ASGI process (the paths in SOCKETS-JSON, written by whisk
# start), leaves them open as file descriptors FIRST_FD, FIRST_FD + 1, ... and execs COMMAND
# (Apache, or the --shutdown-delay supervisor that runs it). Apache's parent process keeps
# them open for its whole life, across graceful restarts, and every mod_wsgi daemon it starts
# inherits them, so each uvicorn process serves a socket that outlives it: while one is
# restarted (whisk reload, a crash), connections wait in the socket's listen queue instead of
# being refused, as with gunicorn's or systemd's sockets. Run with python3 -I (no environment
# variables, no user site directory): as root, it reads nothing the application can write.
import json
import os
import pwd
import grp
import socket
import stat
import sys

BACKLOG = 2048

with open(sys.argv[1]) as f:
    spec = json.load(f)
FIRST_FD = spec['firstFd']
command = sys.argv[2:]


def _id(name, database, field):
    """A user or group name, or Apache's #NUMBER."""
    if name.startswith('#'):
        return int(name[1:])
    return getattr(database(name), field)


owner = None
if os.getuid() == 0 and spec.get('user'):
    owner = (_id(spec['user'], pwd.getpwnam, 'pw_uid'), _id(spec['group'], grp.getgrnam, 'gr_gid'))
for index, path in enumerate(spec['sockets']):
    try:
        if stat.S_ISSOCK(os.lstat(path).st_mode):
            os.unlink(path)  # a previous run's
    except FileNotFoundError:
        pass
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    # Only the application's user (Apache's children connect as that user) may connect:
    # uvicorn trusts the X-Forwarded-For that Apache writes.
    os.chmod(path, 0o600)
    if owner:
        os.chown(path, *owner)
    listener.listen(BACKLOG)
    os.dup2(listener.fileno(), FIRST_FD + index, inheritable=True)
    listener.close()
os.execv(command[0], command)
