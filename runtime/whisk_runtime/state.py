"""What the WSGI handler tells health.wsgi (both run in the daemon's %{GLOBAL} interpreter):
whether the application has loaded, and if not, why."""

loaded = False
error = None
