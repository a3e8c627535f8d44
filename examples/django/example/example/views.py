from django.contrib.auth.models import User
from django.shortcuts import render


def index(request):
    """A realistic small page: one SQLite query, rendered through a template."""
    return render(request, 'index.html', {'users': User.objects.count()})
