# This file is part of the coastal customer service project.
"The call-back (回访) that closes a request, or reopens it"
from property_register import clock
from property_register.access import ReadRulesMixin
from sql import Null

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .common import CallMixin
from .exceptions import CallbackError

SATISFACTION = [
    (None, ""),
    ('very_satisfied', "Very Satisfied"),
    ('satisfied', "Satisfied"),
    ('fairly_satisfied', "Fairly Satisfied"),
    ('dissatisfied', "Dissatisfied"),
    ('very_dissatisfied', "Very Dissatisfied"),
    ]
SATISFIED = {'very_satisfied', 'satisfied', 'fairly_satisfied'}
CALLBACK_MODES = [
    ('self', "By the Centre"),
    ('sampled', "Sampled by Region or HQ"),
    ('cross', "Cross-Check by Another Centre"),
    ]
# Failed call-back attempts before the request is escalated
MAX_UNREACHED = 3


class Callback(ReadRulesMixin, CallMixin, Workflow, ModelSQL, ModelView):
    __string__ = "Call-back"
    __name__ = 'service_center.callback'
    request = fields.Many2One(
        'service_center.request', "Request", required=True,
        ondelete='RESTRICT',
        states={
            'readonly': Eval('state') != 'pending',
            })
    level = fields.Selection([
            ('center', "Customer Centre"),
            ('region', "Region (Sample)"),
            ('hq', "Headquarters (Sample)"),
            ], "Level", required=True,
        states={
            'readonly': Eval('state') != 'pending',
            })
    mode = fields.Selection(CALLBACK_MODES, "Mode", required=True,
        states={
            'readonly': Eval('state') != 'pending',
            })
    caller_center = fields.Many2One(
        'service_center.center', "Calling Centre", readonly=True,
        states={
            'invisible': Eval('mode') != 'cross',
            },
        help="The other centre whose staff make the cross call-back.")
    due_at = fields.Timestamp("Due at", readonly=True)
    attempts = fields.Integer(
        "Unreached Attempts", readonly=True,
        help="Calls that did not reach the owner.")
    reached = fields.Boolean(
        "Reached", states={
            'readonly': Eval('state') != 'pending',
            })
    confirmed_closed = fields.Boolean(
        "Confirmed Fixed", states={
            'readonly': Eval('state') != 'pending',
            'invisible': ~Eval('reached'),
            },
        help="The owner confirms the problem is really solved.")
    satisfaction = fields.Selection(
        SATISFACTION, "Satisfaction", states={
            'readonly': Eval('state') != 'pending',
            'invisible': ~Eval('reached'),
            })
    comment = fields.Text(
        "Comment", states={
            'readonly': Eval('state') != 'pending',
            })
    channel = fields.Selection([
            ('phone', "Phone Call"),
            ('portal', "Web Portal"),
            ], "Channel", readonly=True,
        help="How the owner answered: called by the staff, or on the "
        "owner portal.")
    contradicts = fields.Boolean(
        "Contradicts the Centre", readonly=True,
        help="A sampled call-back where the owner did not confirm what the "
        "centre's call-back recorded; it counts against the centre.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('request')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.request, Index.Range())),
                Index(t, (t.caller_center, Index.Range()),
                    where=t.caller_center != Null),
                })
        cls._order = [('due_at', 'ASC NULLS LAST'), ('id', 'ASC')]
        cls._buttons.update({
                'unreachable': {
                    'invisible': Eval('state') != 'pending',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_level(cls):
        return 'center'

    @classmethod
    def default_mode(cls):
        return 'self'

    @classmethod
    def default_contradicts(cls):
        return False

    @classmethod
    def default_attempts(cls):
        return 0

    @classmethod
    def default_reached(cls):
        return False

    @classmethod
    def default_confirmed_closed(cls):
        return False

    @classmethod
    def default_channel(cls):
        return 'phone'

    def get_rec_name(self, name):
        return self.request.rec_name

    @classmethod
    def validate_fields(cls, callbacks, field_names):
        super().validate_fields(callbacks, field_names)
        if 'request' in field_names:
            for callback in callbacks:
                if callback.request.state not in {'resolved', 'closed'}:
                    raise CallbackError(gettext(
                            'service_center.msg_callback_unresolved',
                            request=callback.request.rec_name))
        if field_names & {'level', 'mode'}:
            for callback in callbacks:
                if (callback.level == 'center') != (callback.mode == 'self'):
                    raise CallbackError(gettext(
                            'service_center.msg_callback_mode',
                            request=callback.request.rec_name))

    def check_independent(self, user_id):
        """A sampled call-back is made by someone outside the centre that
        served the request: the point is to check its own call-back"""
        center = self.request.center
        if self.level != 'center' and center and user_id in center.staff:
            raise CallbackError(gettext(
                    'service_center.msg_callback_not_independent',
                    request=self.request.rec_name,
                    center=center.rec_name))

    @property
    def accepted(self):
        "The owner confirms the fix and is satisfied"
        return bool(self.confirmed_closed and self.satisfaction in SATISFIED)

    @classmethod
    @ModelView.button
    def unreachable(cls, callbacks):
        "Record a call that did not reach the owner"
        Escalation = Pool().get('service_center.escalation')
        to_escalate = []
        for callback in callbacks:
            callback.attempts = (callback.attempts or 0) + 1
            if callback.attempts == MAX_UNREACHED:
                to_escalate.append(callback.request)
        cls.save(callbacks)
        if to_escalate:
            Escalation.escalate(to_escalate, 'unreachable')

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def done(cls, callbacks):
        pool = Pool()
        Request = pool.get('service_center.request')
        Deadline = pool.get('service_center.request.deadline')
        Escalation = pool.get('service_center.escalation')
        at = clock.now()
        user_id = Transaction().user
        for callback in callbacks:
            if not callback.reached or not callback.satisfaction:
                raise CallbackError(gettext(
                        'service_center.msg_callback_incomplete',
                        request=callback.request.rec_name))
            callback.check_independent(user_id)
            callback.done_by = user_id
            callback.done_at = at
            callback.contradicts = (callback.level != 'center'
                and not callback.accepted)
        cls.save(callbacks)
        centre = [c for c in callbacks if c.level == 'center']
        Deadline.meet(
            list({c.request for c in centre}), ['callback'], at)
        satisfied = [c.request for c in centre
            if c.accepted and c.request.state == 'resolved']
        dissatisfied = [c.request for c in callbacks
            if not c.accepted and c.request.state in {'resolved', 'closed'}]
        if satisfied:
            Request.close(satisfied)
        if dissatisfied:
            Request.reopen(dissatisfied)
            Escalation.escalate(dissatisfied, 'dissatisfied')
