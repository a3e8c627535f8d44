"""The Celery application of the example (Celery's "First steps with Django" layout).

Workers run from the same image as the website:
    docker run my-app celery -A example.celery worker --loglevel=INFO
(examples/compose runs one beside the web service, with Redis as broker and result store).
The website imports this module only when it enqueues a task, so the web processes do not
load Celery until they need it.
"""
import os

from celery import Celery

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'example.settings')

app = Celery('example', include=['example.tasks'])
# Every CELERY_* Django setting (settings.py) configures Celery.
app.config_from_object('django.conf:settings', namespace='CELERY')
