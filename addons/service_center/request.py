# This file is part of the coastal customer service project.
"The owner's request and its deadlines: the front store's record"
import datetime as dt
from itertools import groupby

from property_register import clock
from property_register.access import ReadRulesMixin
from property_register.common import (
    SERVICE_CATEGORIES,
    NoDeleteMixin,
    local_date,
    rec_name_bool_op,
)
from property_register.text import CleanTextMixin

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction, without_check_access

from .common import (
    ESCALATION_LEVELS,
    PRIORITIES,
    REQUEST_KINDS,
    TOP_LEVEL,
)
from .exceptions import RequestError
from .sla import TARGETS

CHANNELS = [
    ('desk', "Front Desk"),
    ('project_hotline', "Project Hotline"),
    ('hotline_400', "400 Hotline"),
    ('portal', "Web Portal"),
    ('email', "E-mail"),
    ('staff', "Staff Member"),
    ]
RESPONSIBILITIES = [
    ('developer', "Developer"),
    ('contractor', "Engineering Contractor"),
    ('property', "Property Company"),
    ('owner', "Owner"),
    ('undecided', "To Be Decided"),
    ]
OPEN_STATES = ['registered', 'dispatched', 'reopened']
# A complaint repeats the owner's complaint of the same category made within
REPEAT_WINDOW = dt.timedelta(days=90)
# What the warranty of the part says about who pays
WARRANTY_BEARER = {
    'under_warranty': 'developer',
    'expired': 'owner',
    }


class Request(
        CleanTextMixin, ReadRulesMixin, NoDeleteMixin, Workflow, ModelSQL,
        ModelView):
    __string__ = "Owner Request"
    __name__ = 'service_center.request'
    _final_states = frozenset({'closed', 'cancelled'})
    _rec_name = 'number'
    _states = {
        'readonly': Eval('state') != 'draft',
        }

    number = fields.Char(
        "Number", readonly=True,
        help="Given at registration, e.g. KF2026-000123.")
    kind = fields.Selection(
        REQUEST_KINDS, "Kind", required=True, states=_states)
    kind_string = kind.translated('kind')
    category = fields.Selection(
        SERVICE_CATEGORIES, "Service Category", required=True,
        states={
            'readonly': ~Eval('state').in_(['draft', 'registered']),
            })
    category_string = category.translated('category')
    channel = fields.Selection(
        CHANNELS, "Channel", required=True, states=_states)
    priority = fields.Selection(
        PRIORITIES, "Priority", required=True,
        states={
            'readonly': ~Eval('state').in_(['draft', 'registered']),
            })
    received_by = fields.Many2One(
        'res.user', "Received by", required=True, states=_states,
        help="Who first heard of it (first-contact rule).")
    received_at = fields.Timestamp(
        "Received at", required=True, states=_states)
    received_date = fields.Date("Received on", readonly=True)
    caller_phone = fields.Char(
        "Caller Phone", states=_states,
        help="Type or paste the number: a known owner is filled in.")
    party = fields.Many2One('party.party', "Owner", states=_states)
    unit = fields.Many2One(
        'service_center.unit', "Unit", states=_states,
        domain=[
            If(Bool(Eval('party')),
                ('ownerships.party', '=', Eval('party', -1)), ()),
            If(Bool(Eval('project')),
                ('project', '=', Eval('project', -1)), ()),
            ])
    project = fields.Many2One(
        'service_center.project', "Project", required=True, states=_states)
    building = fields.Many2One(
        'service_center.building', "Building", states=_states,
        domain=[
            ('project', '=', Eval('project', -1)),
            ])
    location = fields.Char(
        "Location", states=_states,
        help="Where in the common areas, when the request is not about "
        "a unit.")
    region = fields.Function(
        fields.Many2One('service_center.region', "Region"),
        'on_change_with_region', searcher='search_region')
    center = fields.Many2One(
        'service_center.center', "Customer Centre", readonly=True)
    earlier_requests = fields.Function(
        fields.Many2Many(
            'service_center.request', None, None, "Earlier Requests"),
        'on_change_with_earlier_requests')
    warranty_type = fields.Many2One(
        'service_center.warranty_type', "Warranty Part",
        states={
            'readonly': ~Eval('state').in_(['draft', 'registered']),
            })
    warranty_state = fields.Function(
        fields.Selection([
                (None, ""),
                ('not_handed_over', "Not Handed Over"),
                ('under_warranty', "Under Warranty"),
                ('expired', "Expired"),
                ], "Warranty State"),
        'on_change_with_warranty_state')
    description = fields.Text("Description", required=True, states=_states)
    answer = fields.Text(
        "Answer",
        states={
            'readonly': Eval('state').in_(['closed', 'cancelled']),
            },
        help="What the owner was told; required to resolve on the spot.")
    responsibility = fields.Selection(
        RESPONSIBILITIES, "Responsibility", required=True,
        states={
            'readonly': ~Eval('state').in_(['draft', 'registered']),
            },
        help="Who pays: under warranty the developer, after it the owner.")
    responsibility_reason = fields.Char(
        "Responsibility Reason",
        states={
            'readonly': ~Eval('state').in_(['draft', 'registered']),
            },
        help="Why the responsibility differs from what the warranty says.")
    sla = fields.Many2One(
        'service_center.sla', "Service Level Agreement", readonly=True)
    deadlines = fields.One2Many(
        'service_center.request.deadline', 'request', "Deadlines",
        readonly=True)
    overdue = fields.Function(
        fields.Boolean("Overdue"), 'get_overdue', searcher='search_overdue')
    escalation_level = fields.Integer("Escalation Level", readonly=True)
    escalation_holder = fields.Function(
        fields.Selection(
            [(str(k), v) for k, v in ESCALATION_LEVELS], "Answered at Level"),
        'get_escalation_holder')
    escalations = fields.One2Many(
        'service_center.escalation', 'request', "Escalations",
        readonly=True)
    work_orders = fields.One2Many(
        'service_center.work_order', 'request', "Work Orders",
        states={
            'readonly': ~Eval('state').in_(OPEN_STATES),
            },
        depends={'project'})
    callbacks = fields.One2Many(
        'service_center.callback', 'request', "Call-backs", readonly=True)
    attachments = fields.One2Many(
        'ir.attachment', 'resource', "Photos and Documents")
    alarm = fields.Many2One(
        'service_center.alarm', "Alarm", readonly=True)
    repeat_of = fields.Many2One(
        'service_center.request', "Repeat of", readonly=True,
        help="The same owner's complaint of the same category made in the "
        "90 days before, which this complaint repeats.")
    one_call = fields.Boolean(
        "Resolved at First Call", readonly=True,
        help="Answered on the spot, without a work order.")
    resolved_at = fields.Timestamp("Resolved at", readonly=True)
    closed_at = fields.Timestamp("Closed at", readonly=True)
    cancel_reason = fields.Text(
        "Cancellation Reason",
        states={
            'readonly': Eval('state').in_(['closed', 'cancelled']),
            })
    count = fields.Function(
        fields.Integer("Requests", help="One per request, for the graphs."),
        'get_count')
    mine = fields.Function(
        fields.Boolean("Mine"), 'get_mine', searcher='search_mine')
    state = fields.Selection([
            ('draft', "Draft"),
            ('registered', "Registered"),
            ('dispatched', "Dispatched"),
            ('resolved', "Resolved"),
            ('closed', "Closed"),
            ('reopened', "Reopened"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        cls.number.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.number, Index.Similarity())),
                Index(t, (t.party, Index.Range())),
                Index(
                    t, (t.project, Index.Range()),
                    (t.category, Index.Equality()),
                    (t.received_at, Index.Range())),
                # The evaluation report selects a period's requests
                Index(t, (t.received_date, Index.Range())),
                Index(
                    t, (t.state, Index.Equality()),
                    where=t.state.in_(OPEN_STATES + ['resolved'])),
                })
        cls._order = [('received_at', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'registered'),
            ('registered', 'dispatched'),
            ('dispatched', 'dispatched'),
            ('reopened', 'dispatched'),
            ('registered', 'resolved'),
            ('dispatched', 'resolved'),
            ('resolved', 'closed'),
            ('resolved', 'reopened'),
            ('closed', 'reopened'),
            ('draft', 'cancelled'),
            ('registered', 'cancelled'),
            ('dispatched', 'cancelled'),
            ('reopened', 'cancelled'),
            }
        cls._buttons.update({
                'register': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'resolve_on_spot': {
                    'invisible': Eval('state') != 'registered',
                    'depends': ['state'],
                    },
                'dispatch': {
                    'invisible': ~Eval('state').in_(OPEN_STATES),
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['draft'] + OPEN_STATES),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_channel(cls):
        return 'desk'

    @classmethod
    def default_priority(cls):
        return 'normal'

    @classmethod
    def default_kind(cls):
        return 'repair'

    @classmethod
    def default_responsibility(cls):
        return 'undecided'

    @classmethod
    def default_escalation_level(cls):
        return 0

    @classmethod
    def default_received_by(cls):
        return Transaction().user

    @classmethod
    def default_received_at(cls):
        # To the second, as the staff read it
        return clock.now().replace(microsecond=0)

    @classmethod
    def default_one_call(cls):
        return False

    @fields.depends('caller_phone', 'party', 'unit', 'project')
    def on_change_caller_phone(self):
        pool = Pool()
        Party = pool.get('party.party')
        if not self.caller_phone:
            return
        number, parties = Party.search_by_phone(self.caller_phone)
        self.caller_phone = number
        if len(parties) == 1:
            self.party = parties[0]
            self.on_change_party()

    @fields.depends('party', 'unit', 'project', 'building')
    def on_change_party(self):
        if not self.party:
            return
        units = list(getattr(self.party, 'units', None) or [])
        if self.unit not in units:
            self.unit = units[0] if len(units) == 1 else None
        if self.unit:
            self.on_change_unit()

    @fields.depends('unit', 'project', 'building')
    def on_change_unit(self):
        if self.unit:
            self.project = self.unit.project
            self.building = self.unit.building

    @fields.depends('project')
    def on_change_with_region(self, name=None):
        return self.project.region if self.project else None

    @classmethod
    def search_region(cls, name, clause):
        return [('project.' + clause[0],) + tuple(clause[1:])]

    @fields.depends('party', 'id')
    def on_change_with_earlier_requests(self, name=None):
        if not self.party or not self.party.id or self.party.id < 0:
            return []
        return [r.id for r in self.search([
                    ('party', '=', self.party.id),
                    ('id', '!=', self.id if self.id and self.id > 0 else -1),
                    ], limit=20)]

    @fields.depends('unit', 'warranty_type', 'received_at')
    def on_change_with_warranty_state(self, name=None):
        if self.unit and self.warranty_type:
            date = local_date(self.received_at or clock.now())
            return self.unit.warranty_state(self.warranty_type, date)

    @fields.depends(methods=['_expected_responsibility'])
    def on_change_warranty_type(self):
        self.responsibility = self._expected_responsibility()

    @classmethod
    def get_overdue(cls, requests, name):
        pool = Pool()
        Deadline = pool.get('service_center.request.deadline')
        overdue = dict.fromkeys(map(int, requests), False)
        for deadline in Deadline.search([
                    ('request', 'in', list(overdue)),
                    cls._overdue_deadline_domain(),
                    ]):
            overdue[deadline.request.id] = True
        return overdue

    @classmethod
    def _overdue_deadline_domain(cls):
        return [
            ('state', 'in', ['pending', 'breached']),
            ('met_at', '=', None),
            ('due_at', '<', clock.now()),
            ]

    @classmethod
    def search_overdue(cls, name, clause):
        _, operator, value = clause
        positive = (operator == '=') == bool(value)
        return [('deadlines', 'where' if positive else 'not where',
                cls._overdue_deadline_domain())]

    def get_count(self, name):
        return 1

    def get_escalation_holder(self, name):
        return str(self.escalation_level or 0)

    def get_mine(self, name):
        user = Transaction().user
        return (self.received_by.id == user
            or any(w.responsible and w.responsible.id == user
                for w in self.work_orders))

    @classmethod
    def search_mine(cls, name, clause):
        _, operator, value = clause
        user = Transaction().user
        domain = ['OR',
            ('received_by', '=', user),
            ('work_orders.responsible', '=', user),
            ]
        if (operator == '=') != bool(value):
            domain = ['NOT', domain]
        return domain

    def get_rec_name(self, name):
        return self.number or gettext(
            'service_center.msg_request_draft', id=self.id)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        return [rec_name_bool_op(operator),
            ('number', operator, operand, *extra),
            ('party.rec_name', operator, operand, *extra),
            ('caller_phone', operator, operand, *extra),
            ]

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('overdue', False), 'danger',
                    If(Eval('escalation_level', 0) > 0, 'warning', ''))),
            ]

    @classmethod
    def validate_fields(cls, requests, field_names):
        super().validate_fields(requests, field_names)
        if not field_names & {'unit', 'project', 'building', 'location'}:
            return
        for request in requests:
            located = request.building or request.location
            if not request.unit and not (request.project and located):
                raise RequestError(gettext(
                        'service_center.msg_request_no_location',
                        request=request.rec_name))

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('received_at'):
            # Set before the defaults, which come after: the day needs it
            values['received_at'] = cls.default_received_at()
        if values.get('received_at'):
            values['received_date'] = local_date(values['received_at'])
        return values

    @classmethod
    def copy(cls, requests, default=None):
        default = default.copy() if default is not None else {}
        for name in [
                'number', 'deadlines', 'escalations', 'work_orders',
                'callbacks', 'alarm', 'resolved_at', 'closed_at',
                'cancel_reason', 'sla', 'center', 'repeat_of']:
            default.setdefault(name, None)
        default.setdefault('escalation_level', 0)
        default.setdefault('one_call', False)
        default.setdefault('received_at', clock.now())
        default.setdefault('received_by', Transaction().user)
        return super().copy(requests, default=default)

    @fields.depends(methods=['on_change_with_warranty_state'])
    def _expected_responsibility(self):
        # The warranty state's own computation, which answers without a
        # read when no unit or part is named
        return WARRANTY_BEARER.get(
            self.on_change_with_warranty_state(), 'undecided')

    @classmethod
    @ModelView.button
    @Workflow.transition('registered')
    def register(cls, requests):
        pool = Pool()
        Sequence = pool.get('ir.sequence')
        ModelData = pool.get('ir.model.data')
        SLA = pool.get('service_center.sla')
        Deadline = pool.get('service_center.request.deadline')
        Escalation = pool.get('service_center.escalation')
        Notification = pool.get('service_center.notification')
        Alarm = pool.get('service_center.alarm')
        Center = pool.get('service_center.center')

        sequence = Sequence(ModelData.get_id(
                'service_center', 'sequence_request'))
        # The records were read under the user's rules by the transition;
        # what follows is the centre's own bookkeeping
        with without_check_access():
            # Numbered in the year of the day the request was received,
            # which the request already knows
            def received(request):
                return request.received_date or local_date(
                    request.received_at)
            numbers = {}
            for date, same_day in groupby(
                    sorted(requests, key=lambda r: (received(r), r.id)),
                    key=received):
                same_day = list(same_day)
                with Transaction().set_context(date=date):
                    numbers.update(zip(
                            same_day, sequence.get_many(len(same_day))))
            deadlines, receipts, escalated = [], [], []
            for request in requests:
                number = numbers[request]
                request._check_registrable()
                request.number = number
                # Written with the rest, in this transition: the alarm
                # counts registered requests only
                request.state = 'registered'
                request.sla = SLA.get(
                    request.kind, request.category, request.priority)
                request.center = Center.of_project(request.project)
                request.repeat_of = request._repeated()
                deadlines.append(Deadline.for_step(
                        request, 'ack', request.received_at))
                deadlines.append(Deadline.for_step(
                        request, 'resolution', request.received_at))
                if request.channel == 'hotline_400':
                    escalated.append(request)
                receipts.extend(Notification.for_party(
                        request.party, 'service_center.msg_notify_receipt',
                        origin=request, number=number))
            # Sets the alarm of the requests, saved with the rest
            Alarm.check(requests)
            cls.save(requests)
            # As the transition logs the state it writes itself
            cls.log(requests, 'transition', 'state:registered')
            Deadline.save(deadlines)
            # The receipts leave with the next run of the outbox (every
            # minute), well within the 10 minutes, and keep the call short
            Notification.save(receipts)
            if escalated:
                Escalation.escalate(
                    escalated, 'hotline_400', level=TOP_LEVEL)

    def _repeated(self):
        "The owner's earlier complaint that this complaint repeats"
        if self.kind != 'complaint' or not self.party:
            return None
        earlier = self.search([
                ('party', '=', self.party.id),
                ('kind', '=', 'complaint'),
                ('category', '=', self.category),
                # Received before, or in the same second and registered
                # before
                ['OR',
                    ('received_at', '<', self.received_at),
                    [('received_at', '=', self.received_at),
                        ('id', '<', self.id)],
                    ],
                ('received_at', '>=', self.received_at - REPEAT_WINDOW),
                ('state', 'not in', ['draft', 'cancelled']),
                ], order=[('received_at', 'DESC'), ('id', 'DESC')], limit=1)
        return earlier[0] if earlier else None

    def _check_registrable(self):
        if self.caller_phone and not self.party:
            raise RequestError(gettext(
                    'service_center.msg_request_unknown_phone',
                    phone=self.caller_phone))
        expected = self._expected_responsibility()
        if (self.responsibility != expected
                and self.responsibility != 'undecided'
                and not self.responsibility_reason):
            raise RequestError(gettext(
                    'service_center.msg_request_responsibility_reason',
                    request=self.rec_name))

    @classmethod
    @ModelView.button
    def resolve_on_spot(cls, requests):
        "Answered at the first contact: resolved without a work order"
        requests = [r for r in requests
            if (r.state, 'resolved') in cls._transitions]
        for request in requests:
            if not request.answer:
                raise RequestError(gettext(
                        'service_center.msg_request_answer_required',
                        request=request.rec_name))
            if request.work_orders:
                raise RequestError(gettext(
                        'service_center.msg_request_has_work_orders',
                        request=request.rec_name))
        cls.write(requests, {'one_call': True})
        cls.resolve(requests)

    @classmethod
    @ModelView.button
    def dispatch(cls, requests):
        "Send the draft work orders of the requests to their departments"
        pool = Pool()
        WorkOrder = pool.get('service_center.work_order')
        to_dispatch = []
        for request in requests:
            drafts = [w for w in request.work_orders if w.state == 'draft']
            if not drafts:
                raise RequestError(gettext(
                        'service_center.msg_request_no_work_order',
                        request=request.rec_name))
            to_dispatch.extend(drafts)
        WorkOrder.dispatch(to_dispatch)

    @classmethod
    @Workflow.transition('dispatched')
    def process(cls, requests):
        "The work orders of the requests are out: the back factory works"
        pass

    @classmethod
    def resolve(cls, requests):
        """Mark the requests resolved, then plan the call-back of those
        resolved: a call-back is for a resolved request only"""
        cls._resolve(requests)
        cls._plan_callbacks(
            [r for r in cls.browse(requests) if r.state == 'resolved'])

    @classmethod
    @Workflow.transition('resolved')
    def _resolve(cls, requests):
        pool = Pool()
        Deadline = pool.get('service_center.request.deadline')
        at = clock.now()
        cls.write(requests, {'resolved_at': at})
        Deadline.meet(requests, ['ack', 'resolution'], at)

    @classmethod
    def _plan_callbacks(cls, requests):
        "The call-back of the resolved requests, and its follow-up"
        pool = Pool()
        Deadline = pool.get('service_center.request.deadline')
        Callback = pool.get('service_center.callback')
        at = clock.now()
        deadlines, callbacks = [], []
        for request in requests:
            callback = Deadline.for_step(request, 'callback', at)
            deadlines.append(callback)
            deadlines.append(Deadline.for_step(request, 'followup', at))
            callbacks.append(Callback(request=request, due_at=callback.due_at))
        Deadline.save(deadlines)
        Callback.save(callbacks)

    @classmethod
    def check_resolved(cls, requests, done=()):
        """Resolve the requests whose work orders are all finished, counting
        the work orders done as finished"""
        done = set(map(int, done))
        to_resolve = []
        for request in cls.browse(requests):
            if request.state != 'dispatched':
                continue
            finished = [w for w in request.work_orders
                if w.id in done or w.state == 'done']
            pending = [w for w in request.work_orders
                if w.pending and w.id not in done]
            if finished and not pending:
                to_resolve.append(request)
        if to_resolve:
            cls.resolve(to_resolve)

    @classmethod
    @Workflow.transition('closed')
    def close(cls, requests):
        pool = Pool()
        Deadline = pool.get('service_center.request.deadline')
        at = clock.now()
        cls.write(requests, {'closed_at': at})
        Deadline.meet(requests, ['followup'], at)

    @classmethod
    @Workflow.transition('reopened')
    def reopen(cls, requests):
        pool = Pool()
        Deadline = pool.get('service_center.request.deadline')
        Deadline.void(requests, ['followup'])
        cls.write(requests, {'resolved_at': None})
        Deadline.save([Deadline.for_step(r, 'resolution', clock.now())
                for r in requests])

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, requests):
        pool = Pool()
        WorkOrder = pool.get('service_center.work_order')
        Deadline = pool.get('service_center.request.deadline')
        for request in requests:
            if not request.cancel_reason:
                raise RequestError(gettext(
                        'service_center.msg_request_cancel_reason',
                        request=request.rec_name))
        orders = [w for r in requests for w in r.work_orders if w.pending]
        if orders:
            WorkOrder.write(orders, {
                    'cancel_reason': gettext(
                        'service_center.msg_work_order_request_cancelled'),
                    })
            WorkOrder.cancel(orders)
        Deadline.void(requests)


class Deadline(ReadRulesMixin, NoDeleteMixin, ModelSQL, ModelView):
    __string__ = "Request Deadline"
    __name__ = 'service_center.request.deadline'
    request = fields.Many2One(
        'service_center.request', "Request", required=True,
        ondelete='CASCADE')
    work_order = fields.Many2One(
        'service_center.work_order', "Work Order", ondelete='CASCADE')
    target = fields.Selection(TARGETS, "Target", required=True)
    target_string = target.translated('target')
    started_at = fields.Timestamp("Started at", required=True)
    due_at = fields.Timestamp("Due at", required=True)
    met_at = fields.Timestamp("Met at")
    breached_at = fields.Timestamp(
        "Breached at", help="When the escalation found it overdue.")
    state = fields.Selection([
            ('pending', "Pending"),
            ('met', "Met"),
            ('breached', "Breached"),
            ('void', "Void"),
            ], "State", required=True, sort=False)
    state_string = state.translated('state')
    on_time = fields.Function(
        fields.Boolean("On Time"), 'get_on_time')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('request')
        t = cls.__table__()
        cls._sql_indexes.update({
                # The escalation sweep reads only the pending ones
                Index(
                    t, (t.due_at, Index.Range()),
                    where=t.state == 'pending'),
                Index(
                    t, (t.request, Index.Range()),
                    (t.target, Index.Equality())),
                Index(t, (t.work_order, Index.Range())),
                })
        cls._order = [('due_at', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_state(cls):
        return 'pending'

    def get_on_time(self, name):
        if self.met_at:
            return self.met_at <= self.due_at
        if self.state == 'void':
            return None
        return clock.now() <= self.due_at

    def get_rec_name(self, name):
        return '%s %s' % (
            self.request.rec_name,
            self.target_string)

    @classmethod
    def for_step(cls, request, target, start, work_order=None):
        "Return the deadline of the step started at start"
        due = request.sla.due(target, start, request.project)
        return cls(
            request=request, work_order=work_order, target=target,
            started_at=start, due_at=due, state='pending')

    @classmethod
    def _open(cls, requests, targets, work_orders=None, own=False):
        domain = [
            ('request', 'in', [r.id for r in requests]),
            ('met_at', '=', None),
            ('state', 'in', ['pending', 'breached']),
            ]
        if targets is not None:
            domain.append(('target', 'in', targets))
        if work_orders is not None:
            domain.append(('work_order', 'in', [w.id for w in work_orders]))
        if own:
            domain.append(('work_order', '=', None))
        return cls.search(domain)

    @classmethod
    def meet(cls, requests, targets, at, work_orders=None, own=False):
        """Record that the targets were reached at at, for the work orders
        or, with own, for the request itself"""
        to_write = []
        for deadline in cls._open(requests, targets, work_orders, own):
            values = {'met_at': at}
            if deadline.state == 'pending':
                values['state'] = 'met'
            to_write.extend(([deadline], values))
        if to_write:
            cls.write(*to_write)

    @classmethod
    def void(cls, requests, targets=None, work_orders=None):
        "Stop the clocks that no longer apply"
        deadlines = [d for d in cls._open(requests, targets, work_orders)
            if d.state == 'pending']
        if deadlines:
            cls.write(deadlines, {'state': 'void'})
