"""whisk's Python runtime: the code that runs inside Apache's processes.

The server root's generated scripts (handler.wsgi, health.wsgi, service and ASGI scripts)
are a few constants, an import of this package and a call, as mod_wsgi-express's generated
scripts import its ``mod_wsgi.server`` runtime. The package is root's (/opt/whisk/runtime in
the image), so nothing the application's user can write is run by it.
"""
