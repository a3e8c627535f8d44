"""Applies the database migrations, one container at a time.

Run by .whisk/hooks/deploy at each start when the database is PostgreSQL. Replicas that start
together (a Swarm stack's first deploy, a scale-up) would otherwise run `migrate` at once,
and Django's migrations are not safe to run concurrently: the second would fail creating a
table the first created. A PostgreSQL session-level advisory lock makes the others wait; once
they hold it, the migrations are applied and `migrate` has nothing left to do.
https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
"""
import os
import sys

import django
from django.core.management import call_command
from django.db import connection

# Any 64-bit number the application uses for nothing else.
MIGRATION_LOCK = 0x77686973_6b6d6967

if __name__ == '__main__':
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'example.settings')
    django.setup()
    locked = connection.vendor == 'postgresql'
    if locked:
        with connection.cursor() as cursor:
            cursor.execute('SELECT pg_advisory_lock(%s)', [MIGRATION_LOCK])
    try:
        call_command('migrate', interactive=False)
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute('SELECT pg_advisory_unlock(%s)', [MIGRATION_LOCK])
