# This file is part of the coastal customer service project.
"""The portal's JSON endpoints.

Each endpoint is a class method of owner_portal.api marked with @endpoint;
another module adds its own by extending the model (PoolMeta) with more
marked methods, and its pages through pages() (owner_portal_request adds
the owners' requests so).  Every endpoint that needs a login receives the
PortalSession of the owner, and must only ever read or change that owner's
records."""
import hmac
import json
import logging
import re
from hashlib import sha256

from property_register.phone import format_phone
from property_register.text import clean
from werkzeug.exceptions import (
    HTTPException,
    MethodNotAllowed,
    NotFound,
    RequestEntityTooLarge,
)
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Response

from trytond.exceptions import RateLimitException, UserError, UserWarning
from trytond.i18n import gettext
from trytond.model import Model
from trytond.pool import Pool
from trytond.transaction import Transaction

from .exceptions import PortalError, PortalNotFound

logger = logging.getLogger(__name__)
SESSION_COOKIE = 'portal_session'
CSRF_HEADER = 'X-CSRF-Token'
LANGUAGES = ['zh_CN', 'en']
DEFAULT_LANGUAGE = 'zh_CN'
# Limits of what an owner types
MAX_TEXT = 4000
MAX_NAME = 200
# What Unit.warranty_state answers
WARRANTY_STATES = ['not_handed_over', 'under_warranty', 'expired']
# Owners write plain text: what looks like a tag or an entity is refused
MARKUP = re.compile(r'<\s*[a-zA-Z/!?]|&#?\w+;')


def endpoint(method, path, login=True):
    """Mark a class method of owner_portal.api as the endpoint of the HTTP
    method on the path (werkzeug rule syntax, below /portal/api/)"""
    def decorator(func):
        func.portal_endpoint = (method, path, login)
        return func
    return decorator


def utc(value):
    "A naive UTC timestamp as ISO 8601 for the browser"
    if value is None:
        return None
    return value.replace(microsecond=0).isoformat() + 'Z'


def iso(value):
    return value.isoformat() if value else None


def field_label(name, module='owner_portal'):
    "The field's name for the owner: the message msg_field_<name>"
    return gettext('%s.msg_field_%s' % (module, name))


def text(data, name, required=True, length=MAX_TEXT, module='owner_portal'):
    """The stripped text of data[name], cleaned of the characters that hide
    or disguise text (property_register.text.clean); refuse what is not
    one, naming the field by the message msg_field_<name> of the module"""
    value = data.get(name)
    if value is None or value == '':
        if required:
            raise PortalError(gettext(
                    'owner_portal.msg_field_required',
                    field=field_label(name, module)))
        return None
    if not isinstance(value, str):
        raise PortalError(gettext(
                'owner_portal.msg_field_invalid',
                field=field_label(name, module)))
    value = clean(value).strip()
    if MARKUP.search(value):
        raise PortalError(gettext(
                'owner_portal.msg_field_markup',
                field=field_label(name, module)))
    if len(value) > length:
        raise PortalError(gettext(
                'owner_portal.msg_field_too_long',
                field=field_label(name, module),
                length=length))
    if required and not value:
        raise PortalError(gettext(
                'owner_portal.msg_field_required',
                field=field_label(name, module)))
    return value


def choice(data, name, values, required=True, module='owner_portal'):
    "data[name] when it is one of values"
    value = data.get(name)
    if value in (None, '') and not required:
        return None
    if not isinstance(value, str) or value not in values:
        raise PortalError(gettext(
                'owner_portal.msg_field_invalid',
                field=field_label(name, module)))
    return value


def ascii_only(value):
    "value when it is a string of ASCII characters (a token), else None"
    return value if isinstance(value, str) and value.isascii() else None


def identifier(value):
    "A record id sent by the browser, or None when it is not one"
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isdigit() and len(value) < 12:
        value = int(value)
    if isinstance(value, int) and 0 < value < 2 ** 31:
        return value
    return None


class PortalSession:
    "The owner behind a request of the portal"

    def __init__(self, request, key, user):
        self.request = request
        self.key = key
        self.user = user
        self.party = user.party if user else None
        self.data = {}

    @property
    def csrf_token(self):
        return csrf_token(self.key)


def csrf_token(key):
    return hmac.new(
        key.encode('utf-8'), b'owner_portal csrf', sha256).hexdigest()


class PortalAPI(Model):
    __string__ = "Owner Portal"
    __name__ = 'owner_portal.api'

    @classmethod
    def __post_setup__(cls):
        super().__post_setup__()
        rules = []
        for name in dir(cls):
            marked = getattr(getattr(cls, name), 'portal_endpoint', None)
            if marked:
                method, path, _ = marked
                rules.append(Rule(
                        '/' + path, endpoint=name, methods=[method]))
        cls._url_map = Map(rules, strict_slashes=False)

    # Dispatch ---------------------------------------------------------------

    @classmethod
    def dispatch(cls, request, path):
        "Answer the request on the path with JSON; never a stack trace"
        transaction = Transaction()
        try:
            adapter = cls._url_map.bind('portal', '/')
            name, args = adapter.match('/' + path, method=request.method)
        except NotFound:
            return cls.error(404, gettext('owner_portal.msg_not_found'))
        except MethodNotAllowed:
            return cls.error(405, gettext('owner_portal.msg_not_found'))
        func = getattr(cls, name)
        _, _, login = func.portal_endpoint
        language = cls._language(request)
        try:
            with transaction.set_context(language=language):
                session = cls._session(request)
                if session.user and session.party and session.party.lang:
                    language = session.party.lang.code
                if login and not session.user:
                    return cls.error(
                        401, gettext('owner_portal.msg_login_required'))
                if request.method not in {'GET', 'HEAD'}:
                    session.data = cls._json(request)
                    # As bytes: strings with other than ASCII cannot be
                    # compared
                    if login and not hmac.compare_digest(
                            request.headers.get(CSRF_HEADER, '').encode(),
                            session.csrf_token.encode()):
                        return cls.error(
                            403, gettext('owner_portal.msg_csrf'))
            with transaction.set_context(language=cls._language(
                        request, language)):
                result = func(session, **args)
        except PortalNotFound as exception:
            transaction.rollback()
            return cls.error(404, exception.message)
        except RateLimitException as exception:
            transaction.rollback()
            # The wait is told when known (owner_portal.user.LoginBlocked)
            wait = getattr(exception, 'retry_after', None)
            response = cls.json({
                    'error': getattr(exception, 'message', None)
                    or gettext('owner_portal.msg_rate_limit'),
                    'retry_after': wait,
                    }, status=429)
            if wait:
                response.headers['Retry-After'] = str(wait)
            return response
        except (UserError, UserWarning) as exception:
            transaction.rollback()
            # An error may tell its own status (413 for a photo too large)
            return cls.error(
                getattr(exception, 'http_status', 400), exception.message)
        except RequestEntityTooLarge:
            # More than the route's limit (routes.MAX_REQUEST_SIZE)
            transaction.rollback()
            with transaction.set_context(
                    language=cls._language(request, language)):
                return cls.error(413, gettext(
                        'owner_portal.msg_request_too_large',
                        size=(request.max_content_length or 0) // 2 ** 20))
        except HTTPException as exception:
            transaction.rollback()
            with transaction.set_context(
                    language=cls._language(request, language)):
                return cls.error(exception.code or 400,
                    gettext('owner_portal.msg_bad_request'))
        if isinstance(result, Response):
            return result
        return cls.json(result)

    @classmethod
    def _language(cls, request, default=DEFAULT_LANGUAGE):
        "The language the owner chose on the page, or the default"
        chosen = request.headers.get('X-Portal-Language')
        return chosen if chosen in LANGUAGES else default

    @classmethod
    def _json(cls, request):
        """The JSON object of the request's body: the body itself, or its
        "data" field when it is a form with files"""
        if request.mimetype == 'multipart/form-data':
            body = request.form.get('data', '{}')
        elif request.mimetype == 'application/json':
            body = request.get_data(as_text=True) or '{}'
        else:
            raise PortalError(gettext('owner_portal.msg_bad_request'))
        try:
            data = json.loads(body)
            # A lone surrogate ("\ud800") is no text: it can be neither
            # stored nor sent back
            json.dumps(data, ensure_ascii=False).encode('utf-8')
        except (ValueError, RecursionError):
            # Not JSON, too deeply nested, or not text
            raise PortalError(gettext('owner_portal.msg_bad_request'))
        if not isinstance(data, dict):
            raise PortalError(gettext('owner_portal.msg_bad_request'))
        return data

    @classmethod
    def _session(cls, request):
        pool = Pool()
        Session = pool.get('web.user.session')
        key = request.cookies.get(SESSION_COOKIE)
        user = None
        if key and len(key) < 200:
            user = Session.get_user(key)
            if user and (not user.active or not user.party):
                user = None
        return PortalSession(request, key if user else None, user)

    @classmethod
    def json(cls, data, status=200):
        return Response(
            json.dumps(data, ensure_ascii=False), status=status,
            content_type='application/json; charset=utf-8',
            headers={'Cache-Control': 'no-store'})

    @classmethod
    def error(cls, status, message):
        return cls.json({'error': message}, status=status)

    @classmethod
    def _set_session_cookie(cls, session, response, key):
        database = Transaction().database.name
        response.set_cookie(
            SESSION_COOKIE, key or '', max_age=None if key else 0,
            path='/%s/portal/' % database, httponly=True, samesite='Strict',
            secure=session.request.scheme == 'https')

    @classmethod
    def _as_portal(cls):
        "Act as the portal's user, who the records say did it"
        ModelData = Pool().get('ir.model.data')
        return Transaction().set_user(
            ModelData.get_id('owner_portal', 'user_portal'))

    # Pages ------------------------------------------------------------------

    @classmethod
    def pages(cls):
        """The pages of the portal's menu, in order: a name, its title and
        the script (below /portal/static/) that draws it; extend to add.
        The first page is where an owner lands after logging in."""
        return [cls.page('owner_portal', name, script)
            for name, script in [
                ('units', 'units'),
                ('profile', 'profile'),
                ]]

    @staticmethod
    def page(module, name, script):
        """The menu's entry of the page name, titled by the module's message
        msg_page_<name>, drawn by static/portal/<script>.js of the module"""
        return {
            'name': name,
            'title': gettext('%s.msg_page_%s' % (module, name)),
            'script': '%s/%s.js' % (module, script),
            }

    @classmethod
    def static_modules(cls):
        """The modules whose static/portal/ folder the portal serves;
        extend to add"""
        return ['owner_portal']

    @classmethod
    @endpoint('GET', 'pages', login=False)
    def get_pages(cls, session):
        return {'pages': cls.pages()}

    # Accounts ---------------------------------------------------------------

    @classmethod
    @endpoint('POST', 'login', login=False)
    def login(cls, session):
        pool = Pool()
        WebUser = pool.get('web.user')
        data = session.data
        user = WebUser.portal_authenticate(
            clean(data.get('login')), data.get('password'))
        if not user or not user.party:
            return cls.error(401, gettext('owner_portal.msg_login_failed'))
        key = user.new_session()
        session = PortalSession(session.request, key, user)
        response = cls.json(cls._me(session))
        cls._set_session_cookie(session, response, key)
        return response

    @classmethod
    @endpoint('POST', 'logout')
    def logout(cls, session):
        Session = Pool().get('web.user.session')
        Session.remove(session.key)
        response = cls.json({})
        cls._set_session_cookie(session, response, None)
        return response

    @classmethod
    @endpoint('POST', 'password', login=False)
    def set_password(cls, session):
        "Choose a password with the link of an invitation or a reset"
        WebUser = Pool().get('web.user')
        data = session.data
        WebUser.check_portal_password(data.get('password'))
        user = WebUser.portal_set_password(
            clean(data.get('login')), ascii_only(data.get('token')),
            data.get('password'))
        if not user:
            return cls.error(400, gettext('owner_portal.msg_link_invalid'))
        return {'login': user.portal_login}

    @classmethod
    @endpoint('POST', 'forgot', login=False)
    def forgot(cls, session):
        """Send a link to choose a new password; the answer is the same
        whether the login exists or not"""
        WebUser = Pool().get('web.user')
        WebUser.send_reset(clean(session.data.get('login')))
        return {'message': gettext('owner_portal.msg_reset_sent')}

    @classmethod
    def _me(cls, session):
        party = session.party
        mobile = party.contact_mechanism_get('mobile')
        phone = party.contact_mechanism_get('phone')
        email = party.contact_mechanism_get('email')
        return {
            'name': party.name,
            'mobile': mobile.value if mobile else None,
            'phone': phone.value if phone else None,
            'email': email.value if email else None,
            'language': party.lang.code if party.lang else DEFAULT_LANGUAGE,
            'csrf_token': session.csrf_token,
            }

    @classmethod
    @endpoint('GET', 'me')
    def get_me(cls, session):
        return cls._me(session)

    @classmethod
    @endpoint('PUT', 'me')
    def set_me(cls, session):
        """Change the owner's name, phones, e-mail and language; the phones
        are kept in international form"""
        pool = Pool()
        Lang = pool.get('ir.lang')
        ContactMechanism = pool.get('party.contact_mechanism')
        data = session.data
        party, user = session.party, session.user
        if 'name' in data:
            party.name = text(data, 'name', length=MAX_NAME)
        if 'language' in data:
            code = choice(data, 'language', LANGUAGES)
            party.lang, = Lang.search([('code', '=', code)], limit=1)
        party.save()
        for type_ in ['mobile', 'phone', 'email']:
            if type_ not in data:
                continue
            value = text(data, type_, required=False, length=MAX_NAME)
            if value and type_ == 'email':
                value = value.lower()
            elif value:
                value = format_phone(value)
                if not value:
                    raise PortalError(gettext(
                            'owner_portal.msg_field_invalid',
                            field=gettext('owner_portal.msg_field_' + type_)))
            mechanism = party.contact_mechanism_get(type_)
            if value and mechanism:
                mechanism.value = value
                mechanism.save()
            elif value:
                ContactMechanism(
                    party=party, type=type_, value=value).save()
            elif mechanism:
                ContactMechanism.write([mechanism], {'active': False})
            if type_ == 'mobile':
                user.mobile = value
            elif type_ == 'email':
                user.email = value
        user.save()
        return cls._me(PortalSession(session.request, session.key, user))

    # Units ------------------------------------------------------------------

    @classmethod
    def _units(cls, session):
        "The owner's current units"
        return session.party.units

    @classmethod
    @endpoint('GET', 'units')
    def get_units(cls, session):
        WarrantyType = Pool().get('service_center.warranty_type')
        states = {state: gettext('owner_portal.msg_warranty_%s' % state)
            for state in WARRANTY_STATES}
        types = WarrantyType.search([])
        units = []
        for unit in cls._units(session):
            units.append({
                    'id': unit.id,
                    'name': unit.rec_name,
                    'project': unit.project.rec_name,
                    'handover_date': iso(unit.handover_date),
                    'warranty': [{
                            'part': type_.name,
                            'state': states[unit.warranty_state(type_)],
                            'state_code': unit.warranty_state(type_),
                            'until': iso(unit.warranty_end(type_))
                            if unit.handover_date else None,
                            } for type_ in types],
                    })
        return {'units': units}
