from django import forms
from django.contrib.auth.models import User
from django.http import JsonResponse
from django.shortcuts import redirect, render


def index(request):
    """A realistic small page: one database query, rendered through a template."""
    return render(request, 'index.html', {'users': User.objects.count()})


class SignupForm(forms.Form):
    username = forms.CharField(max_length=150)


def signup(request):
    """Writes a row: a user with no usable password (a form with Django's CSRF protection)."""
    form = SignupForm(request.POST or None)
    if request.method == 'POST' and form.is_valid():
        User.objects.get_or_create(username=form.cleaned_data['username'])
        return redirect('index')
    return render(request, 'signup.html', {'form': form})


class TaskForm(forms.Form):
    x = forms.IntegerField()
    y = forms.IntegerField()
    seconds = forms.FloatField(min_value=0, max_value=60, initial=3)


def tasks(request):
    """Enqueues slow_add for a Celery worker (examples/compose runs one) and shows its page."""
    form = TaskForm(request.POST or None)
    if request.method == 'POST' and form.is_valid():
        from .tasks import slow_add  # Celery is loaded only by the processes that use it
        result = slow_add.delay(form.cleaned_data['x'], form.cleaned_data['y'], form.cleaned_data['seconds'])
        return redirect('task', task_id=result.id)
    return render(request, 'tasks.html', {'form': form})


def task(request, task_id):
    """A task's state (PENDING, STARTED, SUCCESS, FAILURE) and result, from the result store."""
    from .celery import app
    result = app.AsyncResult(task_id)
    return JsonResponse({'id': task_id, 'state': result.state, 'result': result.result if result.successful() else None})
