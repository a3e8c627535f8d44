from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.core.handlers.asgi import ASGIRequest
from django.http import JsonResponse


async def index(request):
    """An async view: one database query, run in a thread (asgiref: Django 3.2 has no async ORM).
    It says which interface serves it: ASGI (asgi.py) or WSGI (the split deployment, wsgi.py)."""
    interface = 'ASGI' if isinstance(request, ASGIRequest) else 'WSGI'
    return JsonResponse({'users': await sync_to_async(User.objects.count)(), 'server': f'Django on whisk ({interface})'})
