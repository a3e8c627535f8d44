"""whisk_runtime.health: why the application is not ready, told only to whisk healthcheck."""
import unittest

from whisk_runtime import health, state


def ask(**environ):
    out = {}
    body = health.application(environ, lambda status, headers: out.update(status=status, headers=dict(headers)))
    return out['status'], b''.join(body).decode(), out['headers']


class Health(unittest.TestCase):
    def setUp(self):
        self.addCleanup(setattr, state, 'loaded', state.loaded)
        self.addCleanup(setattr, state, 'error', state.error)

    def test_200_once_loaded(self):
        state.loaded = True
        self.assertEqual(ask()[:2], ('200 OK', 'ok\n'))

    def test_the_reason_only_with_the_token(self):
        state.loaded, state.error = False, 'OperationalError: postgres://app:secret@db'
        self.assertEqual(ask()[:2], ('503 Service Unavailable', 'not ready\n'))
        self.assertEqual(ask(WHISK_HEALTH_TOKEN='t0k', HTTP_X_WHISK_HEALTH_TOKEN='wrong')[1], 'not ready\n')
        self.assertEqual(ask(WHISK_HEALTH_TOKEN='', HTTP_X_WHISK_HEALTH_TOKEN='')[1], 'not ready\n')
        status, body, headers = ask(WHISK_HEALTH_TOKEN='t0k', HTTP_X_WHISK_HEALTH_TOKEN='t0k')
        self.assertEqual(body, 'not ready: OperationalError: postgres://app:secret@db\n')
        self.assertEqual((headers['Cache-Control'], headers['Content-Length']), ('no-store', str(len(body))))


if __name__ == '__main__':
    unittest.main()
