# This file is part of the coastal customer service project.
"""The evaluation figures of each customer centre over a period, counted in
SQL from what was recorded (registrations, deadlines met or missed,
escalations, call-backs), never from what a department declares: summed
from each request's evaluation facts (kpi_fact), the deadlines still open
read at the report's time"""
from dateutil.relativedelta import relativedelta
from property_register import clock
from property_register.access import ReadRulesMixin
from service_center.common import REQUEST_KINDS
from sql import Cast, Literal, Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case, Coalesce, NullIf

from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If, PYSONEncoder
from trytond.transaction import Transaction
from trytond.wizard import StateAction, Wizard

from .kpi_fact import (
    CALLBACK_LEVELS,
    COST_BEARERS,
    KPI_TARGETS,
    CostsMixin,
    accepted,
    count_if,
    met_deadline,
    on_time_deadline,
    past_due,
    target_counts,
)

KPI_LEVELS = [1, 2, 3, 4]
# The targets a department answers for
DEPARTMENT_TARGETS = ['ack', 'contact', 'onsite']


def _rate(numerator, denominator):
    "numerator / denominator as a float, empty when nothing was counted"
    return Cast(
        Literal(1.0) * numerator / NullIf(denominator, 0), 'FLOAT')


def _deadline_counts(deadline, targets, at):
    """For each target, the columns counting the deadlines decided (met, or
    past due at at) and those met on time"""
    return target_counts(deadline, targets, [
            ('counted', met_deadline(deadline) | past_due(deadline, at)),
            ('on_time', on_time_deadline(deadline)),
            ])


def _on_time_rate(counts, target):
    "The on-time rate of the target from the columns of _deadline_counts"
    return _rate(
        getattr(counts, '%s_on_time' % target),
        getattr(counts, '%s_counted' % target))


def _money(expression):
    "The expression as an amount, whatever the back-end stores"
    return Cast(expression, 'NUMERIC')


PERIODS = [
    ('month', "Month"),
    ('fortnight', "Fortnight"),
    ('custom', "Custom Dates"),
    ]
# The weights of the department score when nothing is configured
SCORE_WEIGHTS = {
    'ack': 20,
    'contact': 20,
    'onsite': 20,
    'satisfaction': 30,
    'no_reopen': 10,
    }


def period_bounds(period, date):
    """The first and last day of the month or of the fortnight (1st-15th,
    16th-end of month) holding the date"""
    first = date.replace(day=1)
    last = first + relativedelta(months=1, days=-1)
    if period == 'fortnight':
        if date.day <= 15:
            return first, first.replace(day=15)
        return first.replace(day=16), last
    return first, last


class KPIContext(ModelView):
    __string__ = "Evaluation Context"
    __name__ = 'service_center.kpi.context'

    period = fields.Selection(PERIODS, "Period", required=True)
    date = fields.Date(
        "Day in Period",
        states={
            'invisible': Eval('period') == 'custom',
            'required': Eval('period') != 'custom',
            },
        help="Any day of the month or fortnight to report.")
    from_date = fields.Date(
        "From Date", required=True,
        domain=[
            If(Eval('to_date'), ('from_date', '<=', Eval('to_date')), ()),
            ],
        states={
            'readonly': Eval('period') != 'custom',
            })
    to_date = fields.Date(
        "To Date", required=True,
        domain=[
            If(Eval('from_date'), ('to_date', '>=', Eval('from_date')), ()),
            ],
        states={
            'readonly': Eval('period') != 'custom',
            })
    region = fields.Many2One('service_center.region', "Region")

    @classmethod
    def default_period(cls):
        return 'month'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_from_date(cls):
        return period_bounds('month', cls.default_date())[0]

    @classmethod
    def default_to_date(cls):
        return period_bounds('month', cls.default_date())[1]

    @fields.depends('period', 'date')
    def on_change_period(self):
        if self.period != 'custom' and self.date:
            self.from_date, self.to_date = period_bounds(
                self.period, self.date)

    @fields.depends(methods=['on_change_period'])
    def on_change_date(self):
        self.on_change_period()


def context_period():
    "The period of the report's context, by default the current month"
    Context = Pool().get('service_center.kpi.context')
    context = Transaction().context
    period, date = context.get('period'), context.get('date')
    if period in {'month', 'fortnight'} and date:
        return period_bounds(period, date)
    return (
        context.get('from_date') or Context.default_from_date(),
        context.get('to_date') or Context.default_to_date())


def period_requests_domain():
    "The domain of the requests of the context's period and region"
    from_date, to_date = context_period()
    domain = [
        ('received_date', '>=', from_date),
        ('received_date', '<=', to_date),
        ('state', 'not in', ['draft', 'cancelled']),
        ]
    region = Transaction().context.get('region')
    if region:
        domain.append(('center.region', '=', region))
    return domain


def period_facts_where(fact, center):
    "The evaluation facts of the requests of period_requests_domain"
    from_date, to_date = context_period()
    where = ((fact.received_date >= from_date)
        & (fact.received_date <= to_date))
    region = Transaction().context.get('region')
    if region:
        where &= center.region == region
    return where


def period_requests_where(request, center):
    "The same as period_requests_domain, in SQL"
    from_date, to_date = context_period()
    where = ((request.received_date >= from_date)
        & (request.received_date <= to_date)
        & ~request.state.in_(['draft', 'cancelled']))
    region = Transaction().context.get('region')
    if region:
        where &= center.region == region
    return where


class KPIMixin(CostsMixin):
    """The evaluation figures of the requests received in the period,
    grouped by the keys of the report"""
    __slots__ = ()
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
    repeat_complaints = fields.Integer(
        "Repeat Complaints", readonly=True,
        help="Complaints of an owner who complained of the same category "
        "in the 90 days before.")
    repeat_complaint_rate = fields.Float(
        "Repeat-Complaint Rate", digits=(1, 4), readonly=True,
        help="Repeat complaints out of the complaints.")
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
    undispatched = fields.Integer(
        "Never Dispatched", readonly=True,
        help="Requests still waiting for a work order after their "
        "acknowledgement deadline.")
    uncalled = fields.Integer(
        "Never Called Back", readonly=True,
        help="Resolved requests whose call-back deadline passed without "
        "reaching the owner.")
    omission_rate = fields.Float(
        "Omission Rate", digits=(1, 4), readonly=True,
        help="Requests never dispatched or never called back, out of the "
        "requests.")
    undecided_alarms = fields.Integer(
        "Alarms Without Decision", readonly=True,
        help="Same-problem alarms of the period's requests on which the "
        "leadership group has not decided yet.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('requests', 'DESC'), ('id', 'ASC')]

    @classmethod
    def _key(cls, request, center):
        """The expression the figures are grouped by: the row's id (a
        constant puts everything in one row)"""
        raise NotImplementedError

    @classmethod
    def _row(cls, query, rows):
        """Join to the query what the row shows besides its figures; return
        the query and those columns (rows holds the grouped id)"""
        return query, []

    @classmethod
    def requests_domain(cls, record):
        "The domain of the period's requests counted in the record's row"
        return period_requests_domain()

    @classmethod
    def table_query(cls):
        pool = Pool()
        Fact = pool.get('service_center.kpi.fact')
        Request = pool.get('service_center.request')
        Center = pool.get('service_center.center')
        Deadline = pool.get('service_center.request.deadline')
        Alarm = pool.get('service_center.alarm')
        fact = Fact.__table__()
        request = Request.__table__()
        center = Center.__table__()
        deadline = Deadline.__table__()
        alarm = Alarm.__table__()
        at = clock.now()
        # What this transaction changed counts already
        Fact.flush()

        facts = fact.join(center, condition=fact.center == center.id)
        where = period_facts_where(fact, center)
        # Grouped by one key only: more keys make the planner expect many
        # more groups than there are
        key = cls._key(fact, center)
        group_by = [] if isinstance(key, Literal) else [key]
        key_column = key.as_('id')
        columns = [
            Count(fact.id).as_('requests'),
            count_if(fact.one_call == Literal(True)).as_('one_call'),
            count_if(fact.repeat == Literal(True)).as_('repeat_complaints'),
            count_if(fact.reopened == Literal(True)).as_('reopened'),
            Sum(fact.contradicted).as_('contradicted'),
            ]
        columns += [count_if(fact.kind == kind).as_(kind)
            for kind, _ in REQUEST_KINDS]
        columns += [
            count_if(fact.escalation_level >= level).as_(
                'level%d' % level)
            for level in KPI_LEVELS]
        for target in KPI_TARGETS:
            for name in ['%s_met' % target, '%s_on_time' % target]:
                columns.append(Sum(getattr(fact, name)).as_(name))
        for level in CALLBACK_LEVELS:
            for name in ['%s_reached' % level, '%s_satisfied' % level]:
                columns.append(Sum(getattr(fact, name)).as_(name))
        for name in ['cost_%s' % b for b in COST_BEARERS] + ['cost']:
            columns.append(Sum(getattr(fact, name)).as_(name))
        by_request = facts.select(
            key_column, *columns, where=where, group_by=group_by)

        # Few requests have an alarm, and an alarm has several requests
        by_alarm = facts.join(
            alarm, condition=fact.alarm == alarm.id).select(
            key_column,
            Count(alarm.id, distinct=True).as_('undecided_alarms'),
            where=where & alarm.state.in_(['open', 'meeting']),
            group_by=group_by)

        # Whether an open deadline counts depends on the time: read from
        # the deadlines of the few requests that have one
        late = past_due(deadline, at)
        columns = [key_column]
        columns += [count_if(late & (deadline.target == target)).as_(
                '%s_late' % target) for target in KPI_TARGETS]
        # A request has one acknowledgement of its own, and at most one
        # call-back deadline open: the late call-backs are the requests
        # never called back
        columns.append(count_if(late & (deadline.target == 'ack')
                & (deadline.work_order == Null)
                & (request.state == 'registered')).as_('undispatched'))
        by_deadline = (facts
            .join(request, condition=request.id == fact.id)
            .join(deadline, condition=deadline.request == fact.id)
            .select(*columns,
                where=where & (fact.open_deadlines > 0)
                & deadline.target.in_(KPI_TARGETS),
                group_by=group_by))

        query = (by_request
            .join(by_deadline, 'LEFT',
                condition=by_deadline.id == by_request.id)
            .join(by_alarm, 'LEFT',
                condition=by_alarm.id == by_request.id))
        query, row_columns = cls._row(query, by_request)
        reached, satisfied = {}, {}
        for level in CALLBACK_LEVELS:
            reached[level] = getattr(by_request, '%s_reached' % level)
            satisfied[level] = getattr(by_request, '%s_satisfied' % level)
        reopened = by_request.reopened
        satisfaction_rate = _rate(satisfied['center'], reached['center'])
        omitted = (Coalesce(by_deadline.undispatched, 0)
            + Coalesce(by_deadline.callback_late, 0))
        columns = [by_request.id.as_('id'), *row_columns]
        columns += [
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
            by_request.contradicted.as_('contradicted'),
            by_request.repeat_complaints.as_('repeat_complaints'),
            _rate(by_request.repeat_complaints, by_request.complaint).as_(
                'repeat_complaint_rate'),
            Coalesce(by_deadline.undispatched, 0).as_('undispatched'),
            Coalesce(by_deadline.callback_late, 0).as_('uncalled'),
            _rate(omitted, by_request.requests).as_('omission_rate'),
            Coalesce(by_alarm.undecided_alarms, 0).as_('undecided_alarms'),
            ]
        columns += [getattr(by_request, kind).as_(kind)
            for kind, _ in REQUEST_KINDS]
        columns += [_rate(getattr(by_request, 'level%d' % level),
                by_request.requests).as_('level%d_rate' % level)
            for level in KPI_LEVELS]
        for target in KPI_TARGETS:
            counted = (getattr(by_request, '%s_met' % target)
                + Coalesce(getattr(by_deadline, '%s_late' % target), 0))
            columns.append(_rate(
                    getattr(by_request, '%s_on_time' % target),
                    counted).as_('%s_rate' % target))
        for name in ['cost_%s' % b for b in COST_BEARERS] + ['cost']:
            columns.append(_money(
                    Coalesce(getattr(by_request, name), 0)).as_(name))
        return query.select(*columns,
            where=by_request.requests > 0)


class CenterKPI(ReadRulesMixin, KPIMixin, ModelSQL, ModelView):
    __string__ = "Customer Centre Evaluation"
    __name__ = 'service_center.kpi.center'

    center = fields.Many2One(
        'service_center.center', "Customer Centre", required=True,
        readonly=True)
    region = fields.Many2One(
        'service_center.region', "Region", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Whoever may see the centre sees its figures
        cls.__access__.add('center')

    @classmethod
    def _key(cls, request, center):
        return request.center

    @classmethod
    def _row(cls, query, rows):
        Center = Pool().get('service_center.center')
        center = Center.__table__()
        query = query.join(center, condition=center.id == rows.id)
        return query, [rows.id.as_('center'), center.region.as_('region')]

    def get_rec_name(self, name):
        return self.center.rec_name

    @classmethod
    def requests_domain(cls, record):
        return super().requests_domain(record) + [
            ('center', '=', record.center.id),
            ]


class RegionKPI(ReadRulesMixin, KPIMixin, ModelSQL, ModelView):
    __string__ = "Region Evaluation"
    __name__ = 'service_center.kpi.region'

    region = fields.Many2One(
        'service_center.region', "Region", required=True, readonly=True)

    @classmethod
    def _key(cls, request, center):
        return center.region

    @classmethod
    def _row(cls, query, rows):
        return query, [rows.id.as_('region')]

    def get_rec_name(self, name):
        return self.region.rec_name

    @classmethod
    def requests_domain(cls, record):
        return super().requests_domain(record) + [
            ('center.region', '=', record.region.id),
            ]


class GroupKPI(ReadRulesMixin, KPIMixin, ModelSQL, ModelView):
    __string__ = "Group Evaluation"
    __name__ = 'service_center.kpi.group'

    @classmethod
    def _key(cls, request, center):
        return Literal(1)

    def get_rec_name(self, name):
        return gettext('service_kpi.msg_kpi_group')


class KPIConfiguration(ReadRulesMixin, ModelSingleton, ModelSQL, ModelView):
    __string__ = "Evaluation Configuration"
    __name__ = 'service_center.kpi.configuration'

    score_weight_ack = fields.Integer(
        "Weight of Acknowledgement on Time", required=True,
        domain=[('score_weight_ack', '>=', 0)])
    score_weight_contact = fields.Integer(
        "Weight of Owner Contacted on Time", required=True,
        domain=[('score_weight_contact', '>=', 0)])
    score_weight_onsite = fields.Integer(
        "Weight of On Site on Time", required=True,
        domain=[('score_weight_onsite', '>=', 0)])
    score_weight_satisfaction = fields.Integer(
        "Weight of Satisfaction", required=True,
        domain=[('score_weight_satisfaction', '>=', 0)])
    score_weight_no_reopen = fields.Integer(
        "Weight of Fixed the First Time", required=True,
        domain=[('score_weight_no_reopen', '>=', 0)],
        help="Weighs the share of the department's requests that were "
        "not reopened.")

    @classmethod
    def default_score_weight_ack(cls):
        return SCORE_WEIGHTS['ack']

    @classmethod
    def default_score_weight_contact(cls):
        return SCORE_WEIGHTS['contact']

    @classmethod
    def default_score_weight_onsite(cls):
        return SCORE_WEIGHTS['onsite']

    @classmethod
    def default_score_weight_satisfaction(cls):
        return SCORE_WEIGHTS['satisfaction']

    @classmethod
    def default_score_weight_no_reopen(cls):
        return SCORE_WEIGHTS['no_reopen']

    def weights(self):
        "The weight of each rate of the score"
        return {name: getattr(self, 'score_weight_%s' % name)
            for name in SCORE_WEIGHTS}


class DepartmentKPI(ReadRulesMixin, ModelSQL, ModelView):
    __string__ = "Department Evaluation"
    __name__ = 'service_center.kpi.department'

    department = fields.Many2One(
        'service_center.department', "Department", required=True,
        readonly=True)
    region = fields.Many2One(
        'service_center.region', "Region", readonly=True)
    work_orders = fields.Integer(
        "Work Orders", readonly=True,
        help="Dispatched to the department for the period's requests, "
        "cancelled ones left out.")
    done = fields.Integer("Done", readonly=True)
    disputed = fields.Integer(
        "Disputed", readonly=True,
        help="Work orders the department disputed.")
    upheld = fields.Integer(
        "Disputes Rejected", readonly=True,
        help="Disputes on which the leadership group upheld the dispatch.")
    ack_rate = fields.Float(
        "Acknowledged on Time", digits=(1, 4), readonly=True)
    contact_rate = fields.Float(
        "Owner Contacted on Time", digits=(1, 4), readonly=True)
    onsite_rate = fields.Float("On Site on Time", digits=(1, 4), readonly=True)
    callbacks = fields.Integer(
        "Owners Reached at Call-back", readonly=True)
    satisfaction_rate = fields.Float(
        "Satisfaction Rate", digits=(1, 4), readonly=True,
        help="From the centre's call-backs of the requests the department "
        "worked on.")
    reopened = fields.Integer("Reopened", readonly=True)
    reopen_rate = fields.Float("Reopen Rate", digits=(1, 4), readonly=True)
    cost = fields.Numeric("Cost", digits=(16, 2), readonly=True)
    score = fields.Float(
        "Score", digits=(3, 1), readonly=True,
        help="Out of 100: the rates of the department weighted as the "
        "evaluation configuration says; a rate with nothing to count "
        "is left out.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('score', 'DESC NULLS LAST'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return self.department.rec_name

    @classmethod
    def requests_domain(cls, record):
        return period_requests_domain() + [
            ('work_orders', 'where', [
                    ('department', '=', record.department.id),
                    ('state', '!=', 'cancelled'),
                    ]),
            ]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Request = pool.get('service_center.request')
        Center = pool.get('service_center.center')
        Department = pool.get('service_center.department')
        Deadline = pool.get('service_center.request.deadline')
        Callback = pool.get('service_center.callback')
        WorkOrder = pool.get('service_center.work_order')
        Configuration = pool.get('service_center.kpi.configuration')
        request = Request.__table__()
        center = Center.__table__()
        department = Department.__table__()
        deadline = Deadline.__table__()
        callback = Callback.__table__()
        order = WorkOrder.__table__()
        handled = WorkOrder.__table__()
        at = clock.now()

        orders = (request
            .join(center, condition=request.center == center.id)
            .join(order, condition=order.request == request.id))
        where = (period_requests_where(request, center)
            & (order.state != 'cancelled'))
        by_order = orders.select(
            order.department.as_('id'),
            Count(order.id).as_('work_orders'),
            count_if(order.state == 'done').as_('done'),
            count_if((order.state == 'disputed')
                | (order.decision != Null)).as_('disputed'),
            count_if(order.decision == 'uphold').as_('upheld'),
            Sum(_money(order.cost)).as_('cost'),
            where=where, group_by=[order.department])

        columns = [order.department.as_('id')]
        columns += _deadline_counts(deadline, DEPARTMENT_TARGETS, at)
        by_deadline = orders.join(
            deadline, condition=deadline.work_order == order.id).select(
            *columns, where=where, group_by=[order.department])

        # Each request once per department, however many work orders
        pairs = handled.select(
            handled.request, handled.department,
            where=handled.state != 'cancelled',
            group_by=[handled.request, handled.department])
        done = ((callback.state == 'done') & callback.reached
            & (callback.level == 'center'))
        is_accepted = accepted(callback)
        by_callback = (request
            .join(center, condition=request.center == center.id)
            .join(pairs, condition=pairs.request == request.id)
            .join(callback, condition=callback.request == request.id)
            .select(
                pairs.department.as_('id'),
                Count(Case((done, callback.id)), distinct=True).as_(
                    'reached'),
                Count(Case((done & is_accepted, callback.id)),
                    distinct=True).as_('satisfied'),
                Count(Case((done & ~is_accepted, callback.request)),
                    distinct=True).as_('reopened'),
                Count(Case((done, callback.request)), distinct=True).as_(
                    'called'),
                where=period_requests_where(request, center),
                group_by=[pairs.department]))

        reached = Coalesce(by_callback.reached, 0)
        reopened = Coalesce(by_callback.reopened, 0)
        rates = {t: _on_time_rate(by_deadline, t) for t in DEPARTMENT_TARGETS}
        rates.update({
            'satisfaction': _rate(
                Coalesce(by_callback.satisfied, 0), reached),
            'no_reopen': Literal(1.0) - _rate(
                reopened, by_callback.called),
            })
        weights = Configuration(1).weights()
        weighted = sum(
            (Coalesce(rate * weights[name], 0)
                for name, rate in rates.items()), Literal(0.0))
        weight = sum(
            (Case((rate != Null, weights[name]), else_=0)
                for name, rate in rates.items()), Literal(0))
        query = (by_order
            .join(department, condition=department.id == by_order.id)
            .join(by_deadline, 'LEFT',
                condition=by_deadline.id == by_order.id)
            .join(by_callback, 'LEFT',
                condition=by_callback.id == by_order.id))
        return query.select(
            by_order.id.as_('id'),
            by_order.id.as_('department'),
            department.region.as_('region'),
            by_order.work_orders.as_('work_orders'),
            by_order.done.as_('done'),
            by_order.disputed.as_('disputed'),
            by_order.upheld.as_('upheld'),
            rates['ack'].as_('ack_rate'),
            rates['contact'].as_('contact_rate'),
            rates['onsite'].as_('onsite_rate'),
            reached.as_('callbacks'),
            rates['satisfaction'].as_('satisfaction_rate'),
            reopened.as_('reopened'),
            _rate(reopened, by_order.work_orders).as_('reopen_rate'),
            _money(Coalesce(by_order.cost, 0)).as_('cost'),
            (Literal(100.0) * weighted / NullIf(weight, 0)).as_('score'),
            )


class OpenKPIRequests(Wizard):
    __string__ = "Open Evaluated Requests"
    __name__ = 'service_center.kpi.open_requests'
    start_state = 'open_'
    open_ = StateAction('service_center.act_request_form')

    def do_open_(self, action):
        from_date, to_date = context_period()
        action['pyson_domain'] = PYSONEncoder().encode(
            self.record.requests_domain(self.record))
        action['name'] += ' - %s (%s - %s)' % (
            self.record.rec_name, from_date, to_date)
        return action, {}
