"""ASGI config for the whisk example (Django's startproject layout).

It exposes the ASGI callable as a module-level variable named ``application``: serve it with
``--application-type asgi example.asgi`` (whisk's default --callable-object is application).
"""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'example.settings')

application = get_asgi_application()
