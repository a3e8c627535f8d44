"""The example's background task: slow arithmetic, so a stop during a task can be seen."""
import time

from .celery import app


@app.task
def slow_add(x, y, seconds=3.0):
    """Sleeps `seconds`, then returns x + y."""
    time.sleep(seconds)
    return x + y
