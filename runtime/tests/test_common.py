"""whisk_runtime.common: sys.path, PATH, the readiness and metrics files."""
import json
import os
import sys
import tempfile
import unittest

from whisk_runtime import common


class Paths(unittest.TestCase):
    def setUp(self):
        self.saved = list(sys.path), sys.prefix, sys.exec_prefix
        self.addCleanup(self.restore)
        self.dir = tempfile.mkdtemp()

    def restore(self):
        sys.path[:], sys.prefix, sys.exec_prefix = self.saved

    def test_the_virtual_environment_goes_after_the_standard_library_and_before_the_system_site_directories(self):
        site_packages = os.path.join(self.dir, 'lib', 'python%d.%d' % sys.version_info[:2], 'site-packages')
        os.makedirs(site_packages)
        sys.path[:] = ['/app', '/usr/lib/python3.x', '/usr/lib/python3/dist-packages', '/usr/local/lib/site-packages']
        common.add_virtual_env(self.dir)
        self.assertEqual(sys.path, ['/app', '/usr/lib/python3.x', site_packages, '/usr/lib/python3/dist-packages', '/usr/local/lib/site-packages'])

    def test_no_virtual_environment_changes_nothing(self):
        sys.path[:] = ['/a', '/b']
        common.add_virtual_env('')
        self.assertEqual(sys.path, ['/a', '/b'])

    def test_a_prefix_made_from_a_virtual_environment_is_debians_again(self):
        sys.prefix = sys.exec_prefix = self.dir
        common.add_virtual_env('')
        self.assertEqual((sys.prefix, sys.exec_prefix), (sys.base_prefix, sys.base_exec_prefix))

    def test_working_directory_then_python_paths_and_their_pth_entries_first_each_once(self):
        extra = os.path.join(self.dir, 'extra')
        lib = os.path.join(self.dir, 'lib')
        os.makedirs(extra)
        os.makedirs(lib)
        with open(os.path.join(lib, 'more.pth'), 'w') as f:
            f.write(extra + '\n')
        sys.path[:] = ['/usr/lib/python3.x', '/app']
        common.prepend_paths('/app', [lib])
        self.assertEqual(sys.path, ['/app', lib, extra, '/usr/lib/python3.x'])

    def test_the_applications_path_comes_back_from_whisk_app_path(self):
        env = {'PATH': '/usr/sbin:/usr/bin', 'WHISK_APP_PATH': '/app/bin:/opt/venv/bin:/usr/bin'}
        common.use_application_path(env)
        self.assertEqual(env, {'PATH': '/app/bin:/opt/venv/bin:/usr/bin'})
        env = {'PATH': '/usr/bin'}
        common.use_application_path(env)
        self.assertEqual(env, {'PATH': '/usr/bin'})


class Ready(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.ready = os.path.join(self.dir, 'ready')
        self.stopping = os.path.join(self.dir, 'stopping')

    def test_ready_then_not(self):
        common.mark_ready(self.ready, self.stopping)
        self.assertTrue(os.path.exists(self.ready))
        common.mark_ready(self.ready, self.stopping, False)
        self.assertFalse(os.path.exists(self.ready))
        common.mark_ready(self.ready, self.stopping, False)  # already gone: no error

    def test_never_ready_once_stopping(self):
        open(self.stopping, 'w').close()
        common.mark_ready(self.ready, self.stopping)
        self.assertFalse(os.path.exists(self.ready))


class Metrics(unittest.TestCase):
    def test_a_start_is_a_line_of_starts_and_the_report_file_is_per_process(self):
        d = os.path.join(tempfile.mkdtemp(), 'metrics')
        path = common.metrics_started(d)
        self.assertEqual(path, os.path.join(d, '%d.json' % os.getpid()))
        with open(os.path.join(d, 'starts')) as f:
            self.assertEqual(f.read(), '%d\n' % os.getpid())
        common.write_report(path, {'request_count': 3})
        with open(path) as f:
            self.assertEqual(json.load(f), {'request_count': 3})
        self.assertFalse(os.path.exists(path + '.tmp'))


if __name__ == '__main__':
    unittest.main()
