"""--cache-responses: a response that sets a cookie is marked `Cache-Control: private`, so
Apache's response cache (mod_cache, which looks at the application's headers before Apache
adds any) never stores it and hands one client's cookie, or the page made for it, to another;
nor does any shared cache in front. mod_cache itself stores such a response when it is
otherwise fresh (https://httpd.apache.org/docs/2.4/caching.html)."""


def private_value(cache_control):
    """The Cache-Control value for a response that sets a cookie: `private` added unless it
    already says private or no-store (None: the response had none)."""
    if cache_control is None:
        return 'private'
    directives = {d.strip().split('=', 1)[0].lower() for d in cache_control.split(',')}
    if directives & {'private', 'no-store'}:
        return cache_control
    return cache_control + ', private' if cache_control.strip() else 'private'


def marked_private(headers, name_of, value_of, make):
    """`headers` with the Cache-Control a cookie-setting response needs; unchanged when it
    sets no cookie. Several Cache-Control fields are joined into one, as RFC 9110 reads them."""
    names = [name_of(h) for h in headers]
    if 'set-cookie' not in names:
        return headers
    values = [value_of(h) for h, n in zip(headers, names) if n == 'cache-control']
    kept = [h for h, n in zip(headers, names) if n != 'cache-control']
    return kept + [make(private_value(', '.join(values) if values else None))]


def wsgi_private_cookies(application):
    """The WSGI application, each response that sets a cookie marked private."""
    def call(environ, start_response):
        def marking_start_response(status, headers, exc_info=None):
            headers = marked_private(list(headers), lambda h: h[0].lower(), lambda h: h[1],
                                     lambda v: ('Cache-Control', v))
            return start_response(status, headers, exc_info)
        return application(environ, marking_start_response)
    return call


def asgi_private_cookies(app):
    """The ASGI application, each HTTP response that sets a cookie marked private."""
    async def wrapped(scope, receive, send):
        if scope['type'] != 'http':
            return await app(scope, receive, send)

        async def marking_send(message):
            if message['type'] == 'http.response.start':
                headers = marked_private(list(message.get('headers', [])), lambda h: bytes(h[0]).lower().decode('latin-1'),
                                         lambda h: bytes(h[1]).decode('latin-1'),
                                         lambda v: (b'cache-control', v.encode('latin-1')))
                message = dict(message, headers=headers)
            await send(message)
        return await app(scope, receive, marking_send)
    return wrapped
