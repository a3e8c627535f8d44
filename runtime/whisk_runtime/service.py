"""A --service-script process (WSGIDaemonProcess threads=0 + WSGIImportScript, as
mod_wsgi-express's): the script runs with the application's sys.path; when it returns or
fails, the process exits and mod_wsgi starts it again."""
import runpy

from .common import application_paths


def run(script, working_directory, python_paths, virtual_env):
    application_paths(working_directory, python_paths, virtual_env)
    # As mod_wsgi imports a script: run once, not as __main__.
    runpy.run_path(script, run_name='_mod_wsgi_service')
