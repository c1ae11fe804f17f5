# This file is part of the coastal customer service project.
"""The evaluation figures of each customer centre over a period, counted in
SQL from what was recorded (registrations, deadlines met or missed,
escalations, call-backs), never from what a department declares"""
from sql import Cast, Literal, Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case, Coalesce, NullIf

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If, PYSONEncoder
from trytond.transaction import Transaction
from trytond.wizard import StateAction, Wizard

from .common import REQUEST_KINDS, now
from .work_order import SATISFIED

# The targets whose on-time rate the report shows
KPI_TARGETS = ['ack', 'contact', 'onsite', 'resolution', 'callback']
KPI_LEVELS = [1, 2, 3, 4]
# The three levels of call-back: the centre's own, the samples
CALLBACK_LEVELS = ['center', 'region', 'hq']


def _rate(numerator, denominator):
    "numerator / denominator as a float, empty when nothing was counted"
    return Cast(
        Literal(1.0) * numerator / NullIf(denominator, 0), 'FLOAT')


def _count_if(condition):
    return Sum(Case((condition, 1), else_=0))


class KPIContext(ModelView):
    __string__ = "Evaluation Context"
    __name__ = 'service_center.kpi.context'

    from_date = fields.Date(
        "From Date", required=True,
        domain=[
            If(Eval('to_date'), ('from_date', '<=', Eval('to_date')), ()),
            ])
    to_date = fields.Date(
        "To Date", required=True,
        domain=[
            If(Eval('from_date'), ('to_date', '>=', Eval('from_date')), ()),
            ])
    region = fields.Many2One('service_center.region', "Region")

    @classmethod
    def default_from_date(cls):
        return Pool().get('ir.date').today().replace(day=1)

    @classmethod
    def default_to_date(cls):
        return Pool().get('ir.date').today()


class CenterKPI(ModelSQL, ModelView):
    __string__ = "Customer Centre Evaluation"
    __name__ = 'service_center.kpi.center'

    center = fields.Many2One(
        'service_center.center', "Customer Centre", required=True,
        readonly=True)
    region = fields.Many2One(
        'service_center.region', "Region", readonly=True)
    requests = fields.Integer(
        "Requests", readonly=True,
        help="Registered in the period, cancelled ones left out.")
    one_call = fields.Integer("Resolved at First Call", readonly=True)
    one_call_rate = fields.Float(
        "First-Call Resolution Rate", digits=(1, 4), readonly=True)
    reopened = fields.Integer(
        "Reopened", readonly=True,
        help="Requests an owner did not accept as fixed at a call-back.")
    reopen_rate = fields.Float("Reopen Rate", digits=(1, 4), readonly=True)
    callbacks = fields.Integer(
        "Owners Reached at Call-back", readonly=True,
        help="Call-backs of the centre (level 1) that reached the owner.")
    satisfied = fields.Integer("Satisfied Owners", readonly=True)
    satisfaction_rate = fields.Float(
        "Satisfaction Rate", digits=(1, 4), readonly=True,
        help="Owners satisfied and confirming the fix, out of those "
        "reached at call-back.")
    region_satisfaction_rate = fields.Float(
        "Satisfaction at Region Sample", digits=(1, 4), readonly=True,
        help="The same rate, from the region's sampled call-backs "
        "(level 2).")
    hq_satisfaction_rate = fields.Float(
        "Satisfaction at Headquarters Sample", digits=(1, 4),
        readonly=True,
        help="The same rate, from headquarters' sampled call-backs "
        "(level 3).")
    satisfaction_gap = fields.Float(
        "Satisfaction Gap", digits=(1, 4), readonly=True,
        help="The centre's own satisfaction rate less the rate found by "
        "the sampled call-backs of levels 2 and 3.")
    contradicted = fields.Integer(
        "Contradicted by Samples", readonly=True,
        help="Sampled call-backs where the owner did not confirm what the "
        "centre's call-back recorded.")
    complaint = fields.Integer("Complaints", readonly=True)
    enquiry = fields.Integer("Enquiries", readonly=True)
    suggestion = fields.Integer("Suggestions", readonly=True)
    repair = fields.Integer("Repair Requests", readonly=True)
    praise = fields.Integer("Praises", readonly=True)
    level1_rate = fields.Float(
        "Escalated to Department Head", digits=(1, 4), readonly=True,
        help="Share of the requests that rose at least to this level.")
    level2_rate = fields.Float(
        "Escalated to Deputy General Manager", digits=(1, 4),
        readonly=True)
    level3_rate = fields.Float(
        "Escalated to Regional General Manager", digits=(1, 4),
        readonly=True)
    level4_rate = fields.Float(
        "Escalated to Group Headquarters", digits=(1, 4), readonly=True,
        help="Includes the requests raised through the 400 hotline.")
    ack_rate = fields.Float(
        "Acknowledged on Time", digits=(1, 4), readonly=True,
        help="Out of the deadlines met or already past due.")
    contact_rate = fields.Float(
        "Owner Contacted on Time", digits=(1, 4), readonly=True)
    onsite_rate = fields.Float("On Site on Time", digits=(1, 4), readonly=True)
    resolution_rate = fields.Float(
        "Resolved on Time", digits=(1, 4), readonly=True)
    callback_rate = fields.Float(
        "Called Back on Time", digits=(1, 4), readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Whoever may see the centre sees its figures
        cls.__access__.add('center')
        cls._order = [('requests', 'DESC'), ('id', 'ASC')]

    @classmethod
    def _period(cls):
        "The period of the context, by default the context model's"
        Context = Pool().get('service_center.kpi.context')
        context = Transaction().context
        return (
            context.get('from_date') or Context.default_from_date(),
            context.get('to_date') or Context.default_to_date())

    @classmethod
    def requests_domain(cls, center):
        "The domain of the period's requests counted for the centre"
        from_date, to_date = cls._period()
        return [
            ('center', '=', center.id),
            ('received_date', '>=', from_date),
            ('received_date', '<=', to_date),
            ('state', 'not in', ['draft', 'cancelled']),
            ]

    @classmethod
    def _request_where(cls, request, center):
        from_date, to_date = cls._period()
        where = ((request.received_date >= from_date)
            & (request.received_date <= to_date)
            & ~request.state.in_(['draft', 'cancelled']))
        region = Transaction().context.get('region')
        if region:
            where &= center.region == region
        return where

    @classmethod
    def table_query(cls):
        pool = Pool()
        Request = pool.get('service_center.request')
        Center = pool.get('service_center.center')
        Deadline = pool.get('service_center.request.deadline')
        Callback = pool.get('service_center.callback')
        request = Request.__table__()
        center = Center.__table__()
        deadline = Deadline.__table__()
        callback = Callback.__table__()
        at = now()

        requests = request.join(
            center, condition=request.center == center.id)
        where = cls._request_where(request, center)
        columns = [
            request.center.as_('center'),
            Count(request.id).as_('requests'),
            _count_if(request.one_call == Literal(True)).as_('one_call'),
            ]
        columns += [_count_if(request.kind == kind).as_(kind)
            for kind, _ in REQUEST_KINDS]
        columns += [
            _count_if(request.escalation_level >= level).as_(
                'level%d' % level)
            for level in KPI_LEVELS]
        by_request = requests.select(
            *columns, where=where, group_by=[request.center])

        # A deadline counts once decided: met, or past due
        counted = (deadline.state != 'void') & (
            (deadline.met_at != Null) | (deadline.due_at < at))
        on_time = (deadline.met_at != Null) & (
            deadline.met_at <= deadline.due_at)
        columns = [request.center.as_('center')]
        for target in KPI_TARGETS:
            columns.append(_count_if(
                    counted & (deadline.target == target)).as_(
                    '%s_counted' % target))
            columns.append(_count_if(
                    on_time & (deadline.target == target)).as_(
                    '%s_on_time' % target))
        by_deadline = requests.join(
            deadline, condition=deadline.request == request.id).select(
            *columns, where=where, group_by=[request.center])

        done = (callback.state == 'done') & callback.reached
        accepted = callback.confirmed_closed & callback.satisfaction.in_(
            list(SATISFIED))
        columns = [request.center.as_('center')]
        for level in CALLBACK_LEVELS:
            columns.append(_count_if(done & (callback.level == level)).as_(
                    '%s_reached' % level))
            columns.append(_count_if(
                    done & (callback.level == level) & accepted).as_(
                    '%s_satisfied' % level))
        by_callback = requests.join(
            callback, condition=callback.request == request.id).select(
            *columns,
            Count(Case((done & ~accepted, callback.request)),
                distinct=True).as_('reopened'),
            _count_if(callback.contradicts == Literal(True)).as_(
                'contradicted'),
            where=where, group_by=[request.center])

        query = (center
            .join(by_request, condition=by_request.center == center.id)
            .join(by_deadline, 'LEFT',
                condition=by_deadline.center == center.id)
            .join(by_callback, 'LEFT',
                condition=by_callback.center == center.id))
        reached, satisfied = {}, {}
        for level in CALLBACK_LEVELS:
            reached[level] = Coalesce(
                getattr(by_callback, '%s_reached' % level), 0)
            satisfied[level] = Coalesce(
                getattr(by_callback, '%s_satisfied' % level), 0)
        reopened = Coalesce(by_callback.reopened, 0)
        satisfaction_rate = _rate(satisfied['center'], reached['center'])
        columns = [
            center.id.as_('id'),
            center.id.as_('center'),
            center.region.as_('region'),
            by_request.requests.as_('requests'),
            by_request.one_call.as_('one_call'),
            _rate(by_request.one_call, by_request.requests).as_(
                'one_call_rate'),
            reopened.as_('reopened'),
            _rate(reopened, by_request.requests).as_('reopen_rate'),
            reached['center'].as_('callbacks'),
            satisfied['center'].as_('satisfied'),
            satisfaction_rate.as_('satisfaction_rate'),
            _rate(satisfied['region'], reached['region']).as_(
                'region_satisfaction_rate'),
            _rate(satisfied['hq'], reached['hq']).as_(
                'hq_satisfaction_rate'),
            (satisfaction_rate - _rate(
                    satisfied['region'] + satisfied['hq'],
                    reached['region'] + reached['hq'])).as_(
                'satisfaction_gap'),
            Coalesce(by_callback.contradicted, 0).as_('contradicted'),
            ]
        columns += [getattr(by_request, kind).as_(kind)
            for kind, _ in REQUEST_KINDS]
        columns += [_rate(getattr(by_request, 'level%d' % level),
                by_request.requests).as_('level%d_rate' % level)
            for level in KPI_LEVELS]
        for target in KPI_TARGETS:
            columns.append(_rate(
                    getattr(by_deadline, '%s_on_time' % target),
                    getattr(by_deadline, '%s_counted' % target)).as_(
                    '%s_rate' % target))
        return query.select(*columns)


class OpenCenterKPIRequests(Wizard):
    __string__ = "Open Evaluated Requests"
    __name__ = 'service_center.kpi.center.open_requests'
    start_state = 'open_'
    open_ = StateAction('service_center.act_request_form')

    def do_open_(self, action):
        pool = Pool()
        KPI = pool.get('service_center.kpi.center')
        from_date, to_date = KPI._period()
        action['pyson_domain'] = PYSONEncoder().encode(
            KPI.requests_domain(self.record.center))
        action['name'] += ' - %s (%s - %s)' % (
            self.record.center.rec_name, from_date, to_date)
        return action, {}
