# This file is part of the coastal customer service project.
"Dispatches to the back factory (派工单)"
from property_register import clock
from property_register.access import ReadRulesMixin
from property_register.common import NoDeleteMixin, rec_name_bool_op
from property_register.text import CleanTextMixin

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from .exceptions import WorkOrderError
from .request import OPEN_STATES, RESPONSIBILITIES

ACTIVE_STATES = ['dispatched', 'acknowledged', 'scheduled']

_decided = (Eval('state') != 'disputed') | Bool(Eval('decided_at'))


class WorkOrder(
        CleanTextMixin, ReadRulesMixin, NoDeleteMixin, Workflow, ModelSQL,
        ModelView):
    __string__ = "Work Order"
    __name__ = 'service_center.work_order'
    _final_states = frozenset({'done', 'cancelled'})
    _states = {
        'readonly': Eval('state') != 'draft',
        }

    request = fields.Many2One(
        'service_center.request', "Request", required=True,
        ondelete='RESTRICT', states=_states)
    region = fields.Function(
        fields.Many2One('service_center.region', "Region"),
        'on_change_with_region')
    project = fields.Function(
        fields.Many2One('service_center.project', "Project"),
        'on_change_with_project', searcher='search_project')
    department = fields.Many2One(
        'service_center.department', "Department", required=True,
        states=_states,
        domain=[
            If(Bool(Eval('region')),
                ('region', '=', Eval('region', -1)), ()),
            ])
    responsible = fields.Many2One(
        'res.user', "Responsible", required=True, states=_states,
        help="By default the department's first responsible person.")
    instructions = fields.Text("Instructions", states=_states)
    dispatched_at = fields.Timestamp("Dispatched at", readonly=True)
    acknowledged_at = fields.Timestamp("Acknowledged at", readonly=True)
    contacted_at = fields.Timestamp(
        "Owner Contacted at", readonly=True,
        help="When the visit time was agreed with the owner.")
    visit_planned_at = fields.Timestamp(
        "Planned Visit",
        states={
            'readonly': ~Eval('state').in_(['acknowledged', 'scheduled']),
            },
        help="The visit time agreed with the owner.")
    on_site_at = fields.Timestamp("On Site at", readonly=True)
    done_at = fields.Timestamp("Done at", readonly=True)
    work_done = fields.Text(
        "Work Done", states={
            'readonly': Eval('state').in_(['done', 'cancelled']),
            })
    signed_by = fields.Char(
        "Signed by", states={
            'readonly': Eval('state') != 'scheduled',
            },
        help="The name of the owner who signs the work order.")
    signature = fields.Binary(
        "Signature", states={
            'readonly': Eval('state') != 'scheduled',
            })
    signed_at = fields.Timestamp("Signed at", readonly=True)
    cost = fields.Numeric(
        "Cost", digits=(16, 2), states={
            'readonly': Eval('state').in_(['done', 'cancelled']),
            })
    cost_bearer = fields.Selection(
        RESPONSIBILITIES, "Cost Bearer", required=True, states={
            'readonly': Eval('state').in_(['done', 'cancelled']),
            })
    dispute_reason = fields.Text(
        "Dispute Reason", states={
            'readonly': ~Eval('state').in_(ACTIVE_STATES),
            },
        help="Why the department holds it is not theirs.")
    decision = fields.Selection([
            (None, ""),
            ('uphold', "Uphold the Dispatch"),
            ('reassign', "Reassign to Another Department"),
            ], "Decision", states={
            'readonly': _decided,
            })
    decision_department = fields.Many2One(
        'service_center.department', "Reassign to", states={
            'invisible': Eval('decision') != 'reassign',
            'required': Eval('decision') == 'reassign',
            'readonly': _decided,
            },
        domain=[
            If(Bool(Eval('region')),
                ('region', '=', Eval('region', -1)), ()),
            ])
    decision_note = fields.Text(
        "Decision Note", states={
            'readonly': _decided,
            })
    decided_by = fields.Many2One('res.user', "Decided by", readonly=True)
    decided_at = fields.Timestamp("Decided at", readonly=True)
    reissued_as = fields.Many2One(
        'service_center.work_order', "Reissued as", readonly=True)
    cancel_reason = fields.Text(
        "Cancellation Reason", states={
            'readonly': Eval('state').in_(['done', 'cancelled']),
            })
    pending = fields.Function(
        fields.Boolean("Pending"), 'get_pending')
    state = fields.Selection([
            ('draft', "Draft"),
            ('dispatched', "Dispatched"),
            ('acknowledged', "Acknowledged"),
            ('scheduled', "Scheduled"),
            ('done', "Done"),
            ('disputed', "Disputed"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.request, Index.Range())),
                Index(
                    t, (t.department, Index.Range()),
                    (t.state, Index.Equality())),
                Index(
                    t, (t.visit_planned_at, Index.Range()),
                    where=t.state == 'scheduled'),
                })
        cls._order = [('dispatched_at', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'dispatched'),
            ('dispatched', 'acknowledged'),
            ('acknowledged', 'scheduled'),
            ('scheduled', 'scheduled'),
            ('scheduled', 'done'),
            ('dispatched', 'disputed'),
            ('acknowledged', 'disputed'),
            ('scheduled', 'disputed'),
            ('disputed', 'dispatched'),
            ('draft', 'cancelled'),
            ('dispatched', 'cancelled'),
            ('acknowledged', 'cancelled'),
            ('scheduled', 'cancelled'),
            ('disputed', 'cancelled'),
            }
        cls._buttons.update({
                'acknowledge': {
                    'invisible': Eval('state') != 'dispatched',
                    'depends': ['state'],
                    },
                'plan': {
                    'invisible': ~Eval('state').in_(
                        ['acknowledged', 'scheduled']),
                    'depends': ['state'],
                    },
                'arrive': {
                    'invisible': ((Eval('state') != 'scheduled')
                        | Bool(Eval('on_site_at'))),
                    'depends': ['state', 'on_site_at'],
                    },
                'do': {
                    'invisible': Eval('state') != 'scheduled',
                    'depends': ['state'],
                    },
                'dispute': {
                    'invisible': ~Eval('state').in_(ACTIVE_STATES),
                    'depends': ['state'],
                    },
                'decide': {
                    'invisible': ((Eval('state') != 'disputed')
                        | Bool(Eval('decided_at'))),
                    'depends': ['state', 'decided_at'],
                    },
                'reissue': {
                    'invisible': ((Eval('state') != 'disputed')
                        | ~Eval('decided_at') | Bool(Eval('reissued_as'))),
                    'depends': ['state', 'decided_at', 'reissued_as'],
                    },
                'cancel': {
                    'invisible': Eval('state').in_(['done', 'cancelled']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_cost_bearer(cls):
        return 'undecided'

    @fields.depends('request', '_parent_request.project')
    def on_change_with_project(self, name=None):
        return self.request.project if self.request else None

    @classmethod
    def search_project(cls, name, clause):
        return [('request.' + clause[0],) + tuple(clause[1:])]

    @fields.depends('request', '_parent_request.project')
    def on_change_with_region(self, name=None):
        if self.request and self.request.project:
            return self.request.project.region

    @fields.depends('request', '_parent_request.responsibility')
    def on_change_request(self):
        if self.request and self.request.responsibility:
            self.cost_bearer = self.request.responsibility

    @fields.depends('department', 'responsible')
    def on_change_department(self):
        if self.department:
            self.responsible = self.department.responsible

    def get_pending(self, name):
        return (self.state not in {'done', 'cancelled'}
            and not self.reissued_as)

    def get_rec_name(self, name):
        return '%s / %s' % (self.request.rec_name, self.department.rec_name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        return [rec_name_bool_op(operator),
            ('request.rec_name', operator, operand, *extra),
            ('department.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('state') == 'disputed', 'warning', '')),
            ]

    @classmethod
    def copy(cls, orders, default=None):
        default = default.copy() if default is not None else {}
        for name in [
                'dispatched_at', 'acknowledged_at', 'contacted_at',
                'visit_planned_at', 'on_site_at', 'done_at', 'signed_by',
                'signature', 'signed_at', 'dispute_reason', 'decision',
                'decision_department', 'decision_note', 'decided_by',
                'decided_at', 'reissued_as', 'cancel_reason', 'work_done']:
            default.setdefault(name, None)
        return super().copy(orders, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('dispatched')
    def dispatch(cls, orders):
        pool = Pool()
        Deadline = pool.get('service_center.request.deadline')
        Notification = pool.get('service_center.notification')
        Request = pool.get('service_center.request')
        at = clock.now()
        for order in orders:
            if order.request.state not in OPEN_STATES:
                raise WorkOrderError(gettext(
                        'service_center.msg_work_order_request_state',
                        order=order.rec_name))
        cls.write(orders, {'dispatched_at': at})
        deadlines, notifications = [], []
        for order in orders:
            for target in ['ack', 'contact', 'onsite']:
                deadlines.append(Deadline.for_step(
                        order.request, target, at, work_order=order))
            notifications.extend(order._notify_dispatch())
        Deadline.save(deadlines)
        Notification.save(notifications)
        requests = list({o.request for o in orders})
        Deadline.meet(requests, ['ack'], at, own=True)
        Request.process(requests)
        Notification.send_soon(notifications)

    def _notify_dispatch(self):
        Notification = Pool().get('service_center.notification')
        request = self.request
        return Notification.for_user(
            self.responsible, 'service_center.msg_notify_dispatch',
            origin=self,
            number=request.number,
            category=request.category_string,
            location=request.unit.rec_name if request.unit else (
                request.location or request.project.rec_name),
            phone=request.caller_phone or '',
            description=request.description)

    @classmethod
    @ModelView.button
    @Workflow.transition('acknowledged')
    def acknowledge(cls, orders):
        Deadline = Pool().get('service_center.request.deadline')
        at = clock.now()
        cls.write(orders, {'acknowledged_at': at})
        Deadline.meet(
            list({o.request for o in orders}), ['ack'], at, work_orders=orders)

    @classmethod
    @ModelView.button
    @Workflow.transition('scheduled')
    def plan(cls, orders):
        "Record the visit time agreed with the owner"
        Deadline = Pool().get('service_center.request.deadline')
        at = clock.now()
        for order in orders:
            if not order.visit_planned_at:
                raise WorkOrderError(gettext(
                        'service_center.msg_work_order_visit_required',
                        order=order.rec_name))
        requests = list({o.request for o in orders})
        Deadline.meet(requests, ['contact'], at, work_orders=orders)
        Deadline.void(requests, ['visit'], work_orders=orders)
        cls.write([o for o in orders if not o.contacted_at], {
                'contacted_at': at,
                })
        Deadline.save([Deadline(
                    request=o.request, work_order=o, target='visit',
                    started_at=at, due_at=o.visit_planned_at,
                    state='pending')
                for o in orders])

    @classmethod
    @ModelView.button
    def arrive(cls, orders):
        "Record that someone is on site"
        Deadline = Pool().get('service_center.request.deadline')
        at = clock.now()
        orders = [o for o in orders if not o.on_site_at]
        cls.write(orders, {'on_site_at': at})
        Deadline.meet(
            list({o.request for o in orders}), ['onsite', 'visit'], at,
            work_orders=orders)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, orders):
        pool = Pool()
        Request = pool.get('service_center.request')
        for order in orders:
            if not order.signed_by or not order.signature:
                raise WorkOrderError(gettext(
                        'service_center.msg_work_order_signature_required',
                        order=order.rec_name))
        # On site at the latest when the owner signs
        cls.arrive(orders)
        at = clock.now()
        cls.write(orders, {'done_at': at, 'signed_at': at})
        Request.check_resolved(
            list({o.request.id for o in orders}), done=orders)

    @classmethod
    @ModelView.button
    @Workflow.transition('disputed')
    def dispute(cls, orders):
        pool = Pool()
        Deadline = pool.get('service_center.request.deadline')
        Notification = pool.get('service_center.notification')
        notifications = []
        for order in orders:
            if not (order.dispute_reason or '').strip():
                raise WorkOrderError(gettext(
                        'service_center.msg_work_order_dispute_reason',
                        order=order.rec_name))
            for user in order.request.project.region.leadership_group:
                notifications.extend(Notification.for_user(
                        user, 'service_center.msg_notify_dispute',
                        origin=order, number=order.request.number,
                        department=order.department.rec_name,
                        reason=order.dispute_reason))
        Deadline.void(
            list({o.request for o in orders}), work_orders=orders)
        Notification.save(notifications)
        Notification.send_soon(notifications)

    @classmethod
    @ModelView.button
    def decide(cls, orders):
        "The leadership group decides a dispute"
        for order in orders:
            if not order.decision:
                raise WorkOrderError(gettext(
                        'service_center.msg_work_order_decision_required',
                        order=order.rec_name))
        cls.write(orders, {
                'decided_by': Transaction().user,
                'decided_at': clock.now(),
                })

    @classmethod
    @ModelView.button
    def reissue(cls, orders):
        "Dispatch the decided work orders again"
        for order in orders:
            if not order.decided_at:
                raise WorkOrderError(gettext(
                        'service_center.msg_work_order_not_decided',
                        order=order.rec_name))
        for order in orders:
            if order.decision == 'reassign':
                department = order.decision_department
            else:
                department = order.department
            new, = cls.copy([order], default={
                    'department': department.id,
                    'responsible': (
                        order.responsible.id if department == order.department
                        else department.responsible.id),
                    })
            order.reissued_as = new
        cls.save(orders)
        cls.dispatch([o.reissued_as for o in orders])

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, orders):
        pool = Pool()
        Deadline = pool.get('service_center.request.deadline')
        for order in orders:
            if not order.cancel_reason:
                raise WorkOrderError(gettext(
                        'service_center.msg_work_order_cancel_reason',
                        order=order.rec_name))
        Deadline.void(list({o.request for o in orders}), work_orders=orders)
