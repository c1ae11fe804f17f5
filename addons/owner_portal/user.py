# This file is part of the coastal customer service project.
"""The owners' accounts: Tryton's web users, reached by e-mail or mobile
number, invited by the customer centre through the outbox"""
import datetime as dt
import hmac
import math
import urllib.parse

from property_register import clock
from property_register.phone import format_phone
from sql import Null

from trytond import backend, config
from trytond.exceptions import RateLimitException
from trytond.i18n import gettext
from trytond.model import Index, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import sqlite_apply_types
from trytond.transaction import Transaction, without_check_access

from .exceptions import InvitationError, WebUserError

SECTION = 'owner_portal'
# Shorter passwords are refused
PASSWORD_LENGTH = 8
# How long a link to choose a new password works, and how often one is sent
RESET_VALID = dt.timedelta(hours=2)
RESET_INTERVAL = dt.timedelta(minutes=10)


def portal_url(database=None):
    """The portal's address for the database, from [owner_portal] url (the
    public address of the server) or the server's own listen address"""
    if database is None:
        database = Transaction().database.name
    base = config.get(SECTION, 'url', default=None)
    if not base:
        listen = config.get('web', 'listen', default='127.0.0.1:8000')
        base = 'http://%s' % listen
    return '%s/%s/portal/' % (
        base.rstrip('/'), urllib.parse.quote(database))


def account_wait(failures, now):
    """Seconds an account must wait before its next attempt, from the
    times of its failures in the window, oldest first: login_attempts are
    free, then each failure doubles the wait after it, from login_wait up
    to login_wait_max"""
    free = config.getint(SECTION, 'login_attempts', default=5)
    if not failures or len(failures) < free:
        return 0
    wait = min(
        config.getint(SECTION, 'login_wait', default=60)
        * 2 ** min(len(failures) - free, 32),
        config.getint(SECTION, 'login_wait_max', default=15 * 60))
    return (failures[-1] + dt.timedelta(seconds=wait) - now).total_seconds()


def network_wait(failures, now):
    """Seconds a network must wait before its next attempt, from the times
    of its failures in the last [session] timeout, oldest first: it may
    fail [session] max_attempt_ip_network times in that window"""
    limit = config.getint('session', 'max_attempt_ip_network', default=300)
    if len(failures) < limit:
        return 0
    # The next attempt is allowed once the oldest surplus failure is out
    oldest = failures[len(failures) - limit]
    return (oldest + network_window() - now).total_seconds()


def network_window():
    return dt.timedelta(seconds=config.getint('session', 'timeout'))


def account_window():
    return dt.timedelta(
        seconds=config.getint(SECTION, 'login_window', default=24 * 60 * 60))


class LoginBlocked(RateLimitException):
    "The account or the network must wait retry_after seconds"

    def __init__(self, wait):
        self.retry_after = max(1, math.ceil(wait))
        self.message = gettext(
            'owner_portal.msg_login_blocked',
            minutes=math.ceil(self.retry_after / 60))
        super().__init__(self.message)


class WebUser(metaclass=PoolMeta):
    __name__ = 'web.user'
    mobile = fields.Char(
        "Mobile",
        help="The owner may log in with it; kept in international form.")
    invited_at = fields.Timestamp("Invited at", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # An owner may have a mobile number and no e-mail
        cls.email.states['required'] = (
            Eval('active', True) & ~Eval('mobile'))
        cls.email.depends.add('mobile')
        table = cls.__table__()
        cls._sql_indexes.add(
            Index(table, (table.mobile, Index.Equality(cardinality='high')),
                where=table.mobile != None))  # noqa: E711
        cls._buttons.update({
                'invite': {
                    'icon': 'tryton-email',
                    },
                })

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('mobile'):
            mobile = format_phone(values['mobile'])
            if not mobile:
                raise WebUserError(gettext(
                        'owner_portal.msg_user_mobile_invalid',
                        mobile=values['mobile']))
            values['mobile'] = mobile
        if values.get('email'):
            values['email'] = values['email'].strip().lower()
        return values

    @classmethod
    def validate_fields(cls, users, field_names):
        super().validate_fields(users, field_names)
        if field_names & {'mobile', 'active'}:
            mobiles = [u.mobile for u in users if u.mobile and u.active]
            if mobiles:
                taken = {}
                for user in cls.search([
                            ('mobile', 'in', mobiles),
                            ('active', '=', True),
                            ]):
                    taken.setdefault(user.mobile, []).append(user)
                for mobile, same in taken.items():
                    if len(same) > 1:
                        raise WebUserError(gettext(
                                'owner_portal.msg_user_mobile_unique',
                                mobile=mobile))

    @classmethod
    def login_key(cls, login):
        """The e-mail address or the international mobile number that
        login stands for, whatever its form"""
        if not isinstance(login, str):
            return ''
        login = login.strip()[:254]
        if '@' in login:
            return login.lower()
        return format_phone(login) or login.lower()

    @classmethod
    def find_login(cls, key):
        "The active web user of the login key, or None"
        if not key:
            return None
        field = 'email' if '@' in key else 'mobile'
        users = cls.search([(field, '=', key)], limit=1)
        return users[0] if users else None

    @classmethod
    def portal_account(cls, login):
        """The active web user of the typed login, or None, and the key its
        failures are counted by: the web user's, whether the owner typed the
        e-mail or the mobile, or else the normalised login"""
        key = cls.login_key(login)
        user = cls.find_login(key)
        return user, str(user) if user else key

    @classmethod
    def check_portal_budget(cls, key):
        """Refuse at once (LoginBlocked) while the account of key or the
        network of the request must wait; never sleep in the request"""
        Attempt = Pool().get('web.user.authenticate.attempt')
        now = clock.now()
        wait = account_wait(
            Attempt.failures(now - account_window(), login=key), now)
        network = Attempt.network()
        if network:
            wait = max(wait, network_wait(Attempt.failures(
                        now - network_window(), ip_network=network), now))
        if wait > 0:
            raise LoginBlocked(wait)

    @classmethod
    def portal_authenticate(cls, login, password):
        """Return the web user of login and password, or None.
        Too many failures of the account or of the network are refused at
        once (LoginBlocked) until their wait has passed."""
        Attempt = Pool().get('web.user.authenticate.attempt')
        user, key = cls.portal_account(login)
        cls.check_portal_budget(key)
        if user and isinstance(password, str) and user.password_hash:
            valid, new_hash = cls.check_password(password, user.password_hash)
            if valid:
                if new_hash:
                    user.password_hash = new_hash
                    user.save()
                Attempt.remove(key)
                return user
        Attempt.add(key)
        return None

    @classmethod
    def portal_set_password(cls, login, token, password):
        """Set the password of the invited or forgetful owner whose token
        this is; return the web user or None"""
        Attempt = Pool().get('web.user.authenticate.attempt')
        user, key = cls.portal_account(login)
        cls.check_portal_budget(key)
        if (user and user.reset_password_token
                and isinstance(token, str)
                and hmac.compare_digest(token, user.reset_password_token)):
            expired = user.reset_password_token_expire < clock.now()
            user.clear_reset_password_token()
            if not expired:
                user.password = password
                user.save()
                Attempt.remove(key)
                return user
            user.save()
        Attempt.add(key)
        return None

    @classmethod
    def check_portal_password(cls, password):
        if not isinstance(password, str) or len(password) < PASSWORD_LENGTH:
            raise WebUserError(gettext(
                    'owner_portal.msg_password_short',
                    length=PASSWORD_LENGTH))

    @property
    def portal_login(self):
        return self.email or self.mobile

    def portal_link(self, page):
        "The portal's link for the owner to set a password on the page"
        return '%s#%s?%s' % (portal_url(), page, urllib.parse.urlencode({
                    'login': self.portal_login,
                    'token': self.reset_password_token,
                    }))

    @classmethod
    def invitation_days(cls):
        return config.getint(SECTION, 'invitation_days', default=7)

    @classmethod
    @ModelView.button
    def invite(cls, users):
        "Send each owner a link to choose a password, through the outbox"
        cls._send_link(users, 'welcome', 'owner_portal.msg_invitation',
            dt.timedelta(days=cls.invitation_days()))
        cls.write(list(users), {'invited_at': clock.now()})

    @classmethod
    def send_reset(cls, login):
        """Send the owner of login a link to choose a new password; asking
        too often is refused like failed logins, and a link is sent at most
        every RESET_INTERVAL"""
        Attempt = Pool().get('web.user.authenticate.attempt')
        user, key = cls.portal_account(login)
        cls.check_portal_budget(key)
        # Counted as a failure: the owner proves nothing by asking
        Attempt.add(key)
        if not user or not user.party:
            return
        expire = user.reset_password_token_expire
        sent_at = expire - RESET_VALID if expire else None
        if sent_at and sent_at + RESET_INTERVAL > clock.now():
            return
        cls._send_link([user], 'reset', 'owner_portal.msg_reset_password',
            RESET_VALID)

    @classmethod
    def _send_link(cls, users, page, message, valid):
        pool = Pool()
        Notification = pool.get('service_center.notification')
        notifications = []
        for user in users:
            if not user.email and not user.mobile:
                raise InvitationError(gettext(
                        'owner_portal.msg_invitation_no_address',
                        user=user.rec_name))
            user.set_reset_password_token()
            user.reset_password_token_expire = clock.now() + valid
            user.save()
            party = user.party
            language = party.lang.code if party and party.lang else None
            with Transaction().set_context(language=language):
                subject = gettext('owner_portal.msg_invitation_subject')
                body = gettext(
                    message, name=party.rec_name if party else '',
                    url=user.portal_link(page))
            channel, address = (
                ('email', user.email) if user.email
                else ('sms', user.mobile))
            notifications.append(Notification(
                    channel=channel, party=party, address=address,
                    subject=subject, body=body, origin=user))
        Notification.save(notifications)
        Notification.send_soon(notifications)


class AuthenticateAttempt(metaclass=PoolMeta):
    __name__ = 'web.user.authenticate.attempt'
    # By the one clock: the budgets of the portal are reckoned from it
    attempted_at = fields.Timestamp("Attempted at", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_indexes.update({
                Index(table,
                    (table.login, Index.Equality(cardinality='high')),
                    (table.attempted_at, Index.Range())),
                Index(table,
                    (table.ip_network, Index.Equality()),
                    (table.attempted_at, Index.Range())),
                })

    @classmethod
    def add(cls, login, device_cookie=None):
        """Record a failure of login from the request's network; forget the
        failures no budget counts any more (the account's window is longer
        than the [session] timeout after which trytond forgets them)"""
        now = clock.now()
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        cursor.execute(*table.delete(
                where=(table.attempted_at == Null)
                | (table.attempted_at
                    < now - max(account_window(), network_window()))))
        ip_address, ip_network = Transaction().remote_address()
        cls.create([{
                    'login': login[:cls.login.size],
                    'device_cookie': device_cookie,
                    'ip_address': str(ip_address) if ip_address else None,
                    'ip_network': str(ip_network) if ip_network else None,
                    'attempted_at': now,
                    }])

    @classmethod
    def network(cls):
        "The network of the request, as its failures are recorded, or None"
        _, ip_network = Transaction().remote_address()
        return str(ip_network) if ip_network else None

    @classmethod
    def failures(cls, since, login=None, ip_network=None):
        "The times of the failures of login or of ip_network since, in order"
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        where = table.attempted_at >= since
        if login is not None:
            where &= table.login == login[:cls.login.size]
        if ip_network is not None:
            where &= table.ip_network == ip_network
        query = table.select(
            table.attempted_at.as_('attempted_at'), where=where,
            order_by=table.attempted_at.asc)
        if backend.name == 'sqlite':
            sqlite_apply_types(query, ['TIMESTAMP'])
        cursor.execute(*query)
        return [attempted_at for attempted_at, in cursor]


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'invite_to_portal': {
                    'icon': 'tryton-email',
                    'invisible': ~Eval('active', True),
                    'depends': ['active'],
                    },
                })

    @classmethod
    @ModelView.button
    def invite_to_portal(cls, parties):
        """Give each owner a web user, with their e-mail and mobile, and send
        the invitation"""
        # The button is the staff's right; the accounts are the portal's
        with without_check_access():
            cls._invite_to_portal(parties)

    @classmethod
    def _invite_to_portal(cls, parties):
        pool = Pool()
        WebUser = pool.get('web.user')
        users = []
        for party in parties:
            if not party.units:
                raise InvitationError(gettext(
                        'owner_portal.msg_invitation_not_owner',
                        party=party.rec_name))
            user = WebUser.search([('party', '=', party.id)], limit=1)
            if user:
                user, = user
            else:
                email = party.contact_mechanism_get('email')
                mobile = party.contact_mechanism_get('mobile')
                # Both are normalised when saved
                user = WebUser(
                    party=party,
                    email=email.value if email else None,
                    mobile=mobile.value if mobile else None)
                user.save()
            users.append(user)
        WebUser.invite(users)


class Notification(metaclass=PoolMeta):
    __name__ = 'service_center.notification'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['web.user']
