"""A Pyramid application built by a Paste Deploy app factory (see production.ini)."""
from pyramid.config import Configurator
from pyramid.response import Response


def hello(request):
    greeting = request.registry.settings.get('greeting', 'Hello')
    return Response('%s from Pyramid on whisk\n' % greeting, content_type='text/plain')


def main(global_config, **settings):
    with Configurator(settings=settings) as config:
        config.add_route('hello', '/')
        config.add_view(hello, route_name='hello')
        return config.make_wsgi_app()
