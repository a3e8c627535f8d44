from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.http import JsonResponse


async def index(request):
    """An async view: one database query, run in a thread (asgiref: Django 3.2 has no async ORM)."""
    return JsonResponse({'users': await sync_to_async(User.objects.count)(), 'server': 'Django on whisk (ASGI)'})
