# This file is part of the coastal customer service project.
"""The portal's URLs on trytond's own server: the page, its static files
and its JSON endpoints, for every database where the module is activated"""
import mimetypes
import os
from functools import wraps

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.utils import safe_join
from werkzeug.wrappers import Response
from werkzeug.wsgi import LimitedStream

from trytond.protocols.wrappers import (
    set_max_request_size,
    with_pool,
    with_transaction,
)
from trytond.tools import import_module
from trytond.wsgi import app

# Six photos from a phone, with room to spare
MAX_REQUEST_SIZE = 80 * 1024 * 1024
# A body refused unread (too large, no session...) is read to its end and
# thrown away up to this size, so that the phone gets the answer; a larger
# one is left unread and its connection drops
MAX_DRAINED = 2 * MAX_REQUEST_SIZE
DRAIN_CHUNK = 64 * 1024
# The page may only run what our server sends, and show the owners' photos
SECURITY_HEADERS = {
    'Content-Security-Policy': (
        "default-src 'self'; img-src 'self' data: blob:; "
        "style-src 'self'; script-src 'self'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    }


def drained(func):
    """Read what is left of the request's body after func answers, and throw
    it away: a server that closes the connection with unread data makes the
    system reset it, and the client, still sending, never reads the answer.
    werkzeug refuses a body over the limit from its Content-Length before
    reading a byte; its development server then reads the rest, but
    gunicorn's workers close the connection at once."""
    @wraps(func)
    def wrapper(request, *args, **kwargs):
        try:
            return func(request, *args, **kwargs)
        finally:
            _drain(request)
    return wrapper


def _drain(request):
    length = request.content_length
    if not length or length > MAX_DRAINED:
        return
    # The stream werkzeug reads from, cached on the request once made
    stream = request.__dict__.get('stream')
    if stream is None:
        stream = LimitedStream(request.environ['wsgi.input'], length)
    elif not isinstance(stream, LimitedStream):
        # The body was read whole (the copy werkzeug keeps)
        return
    try:
        while stream.read(DRAIN_CHUNK):
            pass
    except (OSError, HTTPException):
        # The client went away
        pass


def _api(pool):
    "The portal's API of the database, or 404 where it is not activated"
    try:
        return pool.get('owner_portal.api')
    except KeyError:
        raise NotFound()


def _static(module, path):
    "The response with a file of the module's static/portal/ folder"
    folder = os.path.join(
        os.path.dirname(import_module(module).__file__), 'static', 'portal')
    full = safe_join(folder, path)
    if full is None or not os.path.isfile(full):
        raise NotFound()
    with open(full, 'rb') as file:
        content = file.read()
    mimetype = mimetypes.guess_type(path)[0] or 'application/octet-stream'
    if mimetype.startswith('text/') or mimetype.endswith('javascript'):
        mimetype += '; charset=utf-8'
    return Response(content, content_type=mimetype, headers={
            **SECURITY_HEADERS, 'Cache-Control': 'no-cache'})


@app.route('/<database_name>/portal/', methods=['GET'])
@with_pool
@with_transaction(readonly=True)
def portal_page(request, pool):
    _api(pool)
    return _static('owner_portal', 'index.html')


@app.route('/<database_name>/portal/static/<module>/<path:path>',
    methods=['GET'])
@with_pool
@with_transaction(readonly=True)
def portal_static(request, pool, module, path):
    if module not in _api(pool).static_modules():
        raise NotFound()
    return _static(module, path)


@app.route('/<database_name>/portal/api/<path:path>',
    methods=['GET', 'POST', 'PUT', 'DELETE'])
@set_max_request_size(MAX_REQUEST_SIZE)
@drained
@with_pool
@with_transaction()
def portal_api(request, pool, path):
    return _api(pool).dispatch(request, path)
