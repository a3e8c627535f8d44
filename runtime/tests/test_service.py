"""whisk_runtime.service: a --service-script runs once, not as __main__, on the application's sys.path."""
import os
import sys
import tempfile
import unittest

from whisk_runtime import service


class Service(unittest.TestCase):
    def test_runs_the_script_with_the_working_directory_first(self):
        saved = list(sys.path)
        self.addCleanup(lambda: sys.path.__setitem__(slice(None), saved))
        d = tempfile.mkdtemp()
        out = os.path.join(d, 'out')
        script = os.path.join(d, 's.py')
        with open(script, 'w') as f:
            f.write('import sys\nopen(%r, "w").write(__name__ + " " + sys.path[0])\n' % out)
        service.run(script=script, working_directory=d, python_paths=[], virtual_env='')
        with open(out) as f:
            self.assertEqual(f.read(), '_mod_wsgi_service ' + d)


if __name__ == '__main__':
    unittest.main()
