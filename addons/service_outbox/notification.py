# This file is part of the coastal customer service project.
"""The outbox: every e-mail and text message is a record first, so that
nothing is lost when a channel is down, and none leaves twice"""
import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from email.message import EmailMessage

from property_register import clock
from property_register.access import ReadRulesMixin
from property_register.common import NoDeleteMixin
from sql import Literal
from sql.conditionals import Coalesce

from trytond import backend, config
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.sendmail import send_message
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

logger = logging.getLogger(__name__)
# A message is retried this many times before it stays failed
MAX_ATTEMPTS = 5
# Messages claimed in one committed transaction: if the process dies, at
# most these are left sending
CLAIM_SIZE = 10
# Seconds after which a message still sending is taken for left by a run
# that died ([service_outbox] sending_timeout): far longer than a claim
# lasts, even when each of its messages waits for the gateway's timeout
SENDING_TIMEOUT = 600
SECTION = 'service_outbox'


class LogSender:
    "Writes text messages to the server log: the default, for trials"

    def send(self, number, text):
        logger.info("SMS to %s: %s", number, text)


class HTTPSender:
    """Posts text messages as JSON {"to", "text"} to the gateway set by
    [service_outbox] sms_url, with an optional sms_token"""

    def __init__(self):
        self.url = config.get(SECTION, 'sms_url')
        self.token = config.get(SECTION, 'sms_token', default=None)
        self.timeout = config.getfloat(SECTION, 'sms_timeout', default=10)

    def send(self, number, text):
        body = json.dumps({'to': number, 'text': text}).encode('utf-8')
        request = urllib.request.Request(
            self.url, data=body, method='POST',
            headers={'Content-Type': 'application/json; charset=utf-8'})
        if self.token:
            request.add_header('Authorization', 'Bearer %s' % self.token)
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            response.read()


SMS_SENDERS = {
    'log': LogSender,
    'http': HTTPSender,
    }


def sms_sender():
    "Return the text message sender configured in trytond.conf"
    name = config.get(SECTION, 'sms_sender', default='log')
    return SMS_SENDERS[name]()


class Notification(ReadRulesMixin, NoDeleteMixin, ModelSQL, ModelView):
    __string__ = "Notification"
    __name__ = 'service_center.notification'
    channel = fields.Selection([
            ('email', "E-mail"),
            ('sms', "Text Message"),
            ], "Channel", required=True, readonly=True)
    user = fields.Many2One('res.user', "User", readonly=True)
    party = fields.Many2One('party.party', "Party", readonly=True)
    address = fields.Char(
        "Address", required=True, readonly=True,
        help="The e-mail address or the mobile number.")
    subject = fields.Char("Subject", readonly=True)
    body = fields.Text("Text", required=True, readonly=True)
    origin = fields.Reference(
        "Origin", selection='get_origins', readonly=True)
    state = fields.Selection([
            ('queued', "Queued"),
            ('sending', "Sending"),
            ('sent', "Sent"),
            ('failed', "Failed"),
            ('unknown', "Unknown"),
            ], "State", required=True, readonly=True, sort=False,
        help="Sending: handed over to the gateway or the mail server now.\n"
        "Unknown: the sending was interrupted, the message may have "
        "arrived; check with the recipient before you retry it.")
    attempts = fields.Integer("Attempts", readonly=True)
    error = fields.Text(
        "Error", readonly=True,
        states={
            'invisible': ~Eval('error'),
            })
    sent_at = fields.Timestamp("Sent at", readonly=True)
    claimed_at = fields.DateTime(
        "Claimed at", readonly=True,
        help="When the message was last marked as being sent.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.state, Index.Equality()), where=t.state != 'sent'))
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'retry': {
                    'invisible': ~Eval('state').in_(['failed', 'unknown']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'queued'

    @classmethod
    def default_attempts(cls):
        return 0

    @classmethod
    def _get_origins(cls):
        "The models whose records send messages: each module adds its own"
        return []

    @classmethod
    def get_origins(cls):
        IrModel = Pool().get('ir.model')
        return [(None, '')] + [(m, IrModel.get_name(m))
            for m in cls._get_origins()]

    @classmethod
    def texts(cls, message, language=None, **values):
        "Return the subject and the text of the message in the language"
        with Transaction().set_context(language=language):
            body = gettext(message, **values)
            subject = gettext(
                'service_outbox.msg_notify_subject',
                number=values.get('number', ''))
        return subject, body

    @classmethod
    def for_user(cls, user, message, origin=None, **values):
        """Return unsaved notifications of the message to the user, by text
        message and by e-mail when known"""
        language = user.language.code if user.language else None
        subject, body = cls.texts(message, language, **values)
        notifications = []
        if user.mobile:
            notifications.append(cls(
                    channel='sms', user=user, address=user.mobile,
                    subject=subject, body=body, origin=origin))
        if user.email:
            notifications.append(cls(
                    channel='email', user=user, address=user.email,
                    subject=subject, body=body, origin=origin))
        return notifications

    @classmethod
    def for_party(cls, party, message, origin=None, **values):
        "Return an unsaved text message to the party's mobile, if any"
        ContactMechanism = Pool().get('party.contact_mechanism')
        if not party:
            return []
        # The first active mobile in the owner's order, as
        # party.contact_mechanism_get('mobile') finds it, without reading
        # every contact of the owner (a receipt at each registration)
        mechanism = ContactMechanism.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*mechanism.select(
                Coalesce(mechanism.value_compact, mechanism.value),
                where=(mechanism.party == party.id)
                & (mechanism.type == 'mobile')
                & (mechanism.active == Literal(True)),
                order_by=[
                    mechanism.sequence.asc.nulls_first, mechanism.id.asc],
                limit=1))
        row = cursor.fetchone()
        if not row:
            return []
        address, = row
        language = party.lang.code if party.lang else None
        subject, body = cls.texts(message, language, **values)
        return [cls(
                channel='sms', party=party,
                address=address,
                subject=subject, body=body, origin=origin,
                state=cls.default_state(), attempts=cls.default_attempts())]

    @classmethod
    def send_soon(cls, notifications):
        "Send once the transaction is committed"
        if notifications:
            cls.__queue__.send(notifications)

    @classmethod
    @ModelView.button
    def retry(cls, notifications):
        """Send again, once, what failed or what a person checked had not
        arrived"""
        notifications = [
            n for n in notifications if n.state in {'failed', 'unknown'}]
        cls.write(notifications, {'state': 'queued', 'attempts': 0})
        cls.send(notifications)

    @classmethod
    def send(cls, notifications):
        """Send the notifications that wait, each at most once.

        The transaction is committed after each claim and each message."""
        for sub_ids in grouped_slice([n.id for n in notifications],
                CLAIM_SIZE):
            cls._deliver(cls._claim([('id', 'in', list(sub_ids))]))

    @classmethod
    def send_queued(cls):
        """Send what is waiting, and retry what failed (scheduled action).

        The transaction is committed after each claim and each message."""
        cls._mark_unknown()
        last_id = 0
        # Each message once per run, even when it fails again
        while claimed := cls._claim([('id', '>', last_id)]):
            cls._deliver(claimed)
            last_id = claimed[-1].id

    @classmethod
    def _claim(cls, domain):
        """Mark as sending up to CLAIM_SIZE messages that wait, commit and
        return them: no other run claims them, and if the process dies
        they stay sending instead of going out again"""
        transaction = Transaction()
        ids = cls._lock_ids([
                ('state', 'in', ['queued', 'failed']),
                ('attempts', '<', MAX_ATTEMPTS),
                domain,
                ], limit=CLAIM_SIZE)
        if ids:
            cls.write(cls.browse(ids), {
                    'state': 'sending',
                    'claimed_at': clock.now(),
                    })
        transaction.commit()
        # New instances: the cache was cleared by the commit
        return cls.browse(ids)

    @classmethod
    def _mark_unknown(cls):
        """Mark as unknown the messages left sending by a run that died:
        they may have arrived, so only a person sends them again"""
        transaction = Transaction()
        timeout = config.getfloat(
            SECTION, 'sending_timeout', default=SENDING_TIMEOUT)
        ids = cls._lock_ids([
                ('state', '=', 'sending'),
                ('claimed_at', '<=', clock.now() - dt.timedelta(
                        seconds=timeout)),
                ])
        if ids:
            logger.warning(
                "notifications %s were left sending, now unknown", ids)
            cls.write(cls.browse(ids), {'state': 'unknown'})
        transaction.commit()

    @classmethod
    def _lock_ids(cls, domain, limit=None):
        """Return the ids of the notifications of the domain, in order,
        locked until the transaction ends; those another transaction
        locked are skipped"""
        transaction = Transaction()
        database = transaction.database
        connection = transaction.connection
        cursor = connection.cursor()
        query = cls.search(
            domain, order=[('id', 'ASC')], limit=limit, query=True)
        if database.has_select_for():
            query.for_ = database.get_select_for_skip_locked()('UPDATE')
        elif backend.name == 'sqlite' and not connection.in_transaction:
            # SQLite locks no row, only the whole database for writing:
            # take that lock before reading what to mark
            cursor.execute('BEGIN IMMEDIATE')
        cursor.execute(*query)
        return [i for i, in cursor]

    @classmethod
    def _deliver(cls, notifications):
        "Hand each claimed message over and commit its result at once"
        transaction = Transaction()
        sender = None
        for notification in notifications:
            try:
                if notification.channel == 'sms':
                    if sender is None:
                        sender = sms_sender()
                    sender.send(notification.address, notification.body)
                else:
                    send_message(notification._email(), strict=True)
            except Exception as exception:
                logger.warning(
                    "notification %s failed", notification.id,
                    exc_info=True)
                values = {
                    'state': 'failed',
                    'error': str(exception) or repr(exception),
                    }
            else:
                values = {
                    'state': 'sent',
                    'sent_at': clock.now(),
                    'error': None,
                    }
            values['attempts'] = (notification.attempts or 0) + 1
            cls.write([notification], values)
            transaction.commit()

    def _email(self):
        "Return the e-mail of the notification"
        msg = EmailMessage()
        msg['From'] = config.get('email', 'from')
        msg['To'] = self.address
        msg['Subject'] = self.subject or ''
        msg.set_content(self.body)
        return msg
