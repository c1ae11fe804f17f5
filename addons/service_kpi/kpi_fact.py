# This file is part of the coastal customer service project.
"""The evaluation facts of each request: what its deadlines, call-backs and
work orders add to the reports, kept up to date with them so that a month's
report reads one row per request instead of their millions of rows"""
from property_register.access import ReadRulesMixin
from property_register.common import MAX_IDS
from service_center.callback import SATISFIED
from service_center.common import REQUEST_KINDS
from service_center.request import RESPONSIBILITIES
from sql import Literal, Null
from sql.aggregate import Max, Sum
from sql.conditionals import Case, Coalesce

from trytond import backend
from trytond.model import Index, ModelSQL, fields
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

# The targets whose on-time rate the reports show
KPI_TARGETS = ['ack', 'contact', 'onsite', 'resolution', 'callback']
# The three levels of call-back: the centre's own, the samples
CALLBACK_LEVELS = ['center', 'region', 'hq']
COST_BEARERS = [b for b, _ in RESPONSIBILITIES]
# The request's own columns copied to its facts
REQUEST_COLUMNS = [
    'center', 'received_date', 'kind', 'one_call', 'escalation_level',
    'alarm']


def count_if(condition):
    return Sum(Case((condition, 1), else_=0))


def target_counts(deadline, targets, conditions):
    """For each target and each (name, condition), the column counting its
    deadlines that meet the condition, named target_name"""
    return [count_if(condition & (deadline.target == target)).as_(
            '%s_%s' % (target, name))
        for target in targets for name, condition in conditions]


def met_deadline(deadline):
    return (deadline.state != 'void') & (deadline.met_at != Null)


def on_time_deadline(deadline):
    return (deadline.met_at != Null) & (deadline.met_at <= deadline.due_at)


def decided_counts(deadline, targets):
    """For each target, the columns counting the deadlines met (whatever
    the time) and those met on time"""
    return target_counts(deadline, targets, [
            ('met', met_deadline(deadline)),
            ('on_time', on_time_deadline(deadline)),
            ])


def open_deadline(deadline):
    "The deadline still runs: neither met nor void"
    return (deadline.state != 'void') & (deadline.met_at == Null)


def past_due(deadline, at):
    "The deadline still runs and was due before at"
    return open_deadline(deadline) & (deadline.due_at < at)


def accepted(callback):
    "The owner confirms the fix and is satisfied"
    return callback.confirmed_closed & callback.satisfaction.in_(
        list(SATISFIED))


class _Refresh:
    """The requests whose facts the transaction changed, refreshed once
    before it commits"""

    def __init__(self):
        self.ids = set()

    def __eq__(self, other):
        return isinstance(other, _Refresh)

    def __hash__(self):
        return hash(_Refresh)

    def flush(self):
        if self.ids:
            ids, self.ids = sorted(self.ids), set()
            Pool().get('service_center.kpi.fact').refresh(ids)

    def tpc_begin(self, transaction):
        pass

    def commit(self, transaction):
        self.flush()

    def tpc_vote(self, transaction):
        pass

    def tpc_finish(self, transaction):
        pass

    def tpc_abort(self, transaction):
        self.ids.clear()


class CostsMixin:
    "The cost of the work orders by who bears it"
    __slots__ = ()
    cost_developer = fields.Numeric(
        "Cost Borne by Developer", digits=(16, 2), readonly=True)
    cost_contractor = fields.Numeric(
        "Cost Borne by Contractor", digits=(16, 2), readonly=True)
    cost_property = fields.Numeric(
        "Cost Borne by Property Company", digits=(16, 2), readonly=True)
    cost_owner = fields.Numeric(
        "Cost Borne by Owner", digits=(16, 2), readonly=True)
    cost_undecided = fields.Numeric(
        "Cost Not Yet Assigned", digits=(16, 2), readonly=True)
    cost = fields.Numeric(
        "Total Cost", digits=(16, 2), readonly=True,
        help="The cost of the work orders, cancelled ones left out.")


class Fact(ReadRulesMixin, CostsMixin, ModelSQL):
    __string__ = "Evaluation Facts of a Request"
    __name__ = 'service_center.kpi.fact'
    # The id is the request's

    center = fields.Many2One(
        'service_center.center', "Customer Centre", readonly=True)
    received_date = fields.Date("Received on", readonly=True)
    kind = fields.Selection(REQUEST_KINDS, "Kind", readonly=True)
    one_call = fields.Boolean("Resolved at First Call", readonly=True)
    repeat = fields.Boolean("Repeat Complaint", readonly=True)
    escalation_level = fields.Integer("Escalation Level", readonly=True)
    alarm = fields.Many2One(
        'service_center.alarm', "Alarm", readonly=True)
    open_deadlines = fields.Integer(
        "Open Deadlines", readonly=True,
        help="Deadlines of the evaluated targets neither met nor void: "
        "whether they are past due depends on the report's time.")
    center_reached = fields.Integer("Reached by the Centre", readonly=True)
    center_satisfied = fields.Integer(
        "Satisfied at the Centre's Call-back", readonly=True)
    region_reached = fields.Integer("Reached by the Region", readonly=True)
    region_satisfied = fields.Integer(
        "Satisfied at the Region's Call-back", readonly=True)
    hq_reached = fields.Integer("Reached by Headquarters", readonly=True)
    hq_satisfied = fields.Integer(
        "Satisfied at Headquarters' Call-back", readonly=True)
    reopened = fields.Boolean("Reopened", readonly=True)
    contradicted = fields.Integer("Contradicted by Samples", readonly=True)
    ack_met = fields.Integer("Acknowledgements Met", readonly=True)
    ack_on_time = fields.Integer("Acknowledged on Time", readonly=True)
    contact_met = fields.Integer("Owner Contacts Met", readonly=True)
    contact_on_time = fields.Integer(
        "Owner Contacted on Time", readonly=True)
    onsite_met = fields.Integer("On-Site Visits Met", readonly=True)
    onsite_on_time = fields.Integer("On Site on Time", readonly=True)
    resolution_met = fields.Integer("Resolutions Met", readonly=True)
    resolution_on_time = fields.Integer("Resolved on Time", readonly=True)
    callback_met = fields.Integer("Call-backs Met", readonly=True)
    callback_on_time = fields.Integer("Called Back on Time", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t,
                (t.received_date, Index.Range()),
                (t.center, Index.Range())))

    @classmethod
    def __register__(cls, module_name):
        created = not backend.TableHandler.table_exist(cls._table)
        super().__register__(module_name)
        if created:
            # The requests registered before the facts were kept
            cls.refresh()

    @classmethod
    def touch(cls, request_ids):
        "Refresh the facts of the requests before the transaction commits"
        if request_ids:
            refresh = Transaction().join(_Refresh())
            refresh.ids.update(int(i) for i in request_ids)

    @classmethod
    def flush(cls):
        "Refresh now the facts of the requests touched by the transaction"
        Transaction().join(_Refresh()).flush()

    @classmethod
    def refresh(cls, request_ids=None):
        """Compute anew the facts of the requests, of every request without
        ids; a request in draft or cancelled has none"""
        cursor = Transaction().connection.cursor()
        fact = cls.__table__()
        if request_ids is None:
            cursor.execute(*fact.delete())
            cursor.execute(*fact.insert(
                    cls._columns(fact), cls._query(None)))
            return
        for sub_ids in grouped_slice(request_ids, MAX_IDS):
            sub_ids = list(sub_ids)
            cursor.execute(*fact.delete(where=fact.id.in_(sub_ids)))
            cursor.execute(*fact.insert(
                    cls._columns(fact), cls._query(sub_ids)))

    @classmethod
    def _names(cls):
        names = ['id', *REQUEST_COLUMNS, 'repeat', 'open_deadlines']
        for target in KPI_TARGETS:
            names += ['%s_met' % target, '%s_on_time' % target]
        for level in CALLBACK_LEVELS:
            names += ['%s_reached' % level, '%s_satisfied' % level]
        names += ['reopened', 'contradicted']
        names += ['cost_%s' % b for b in COST_BEARERS] + ['cost']
        return names

    @classmethod
    def _columns(cls, fact):
        return [getattr(fact, n) for n in cls._names()]

    @classmethod
    def _query(cls, request_ids):
        "The facts of the requests (all without ids) as a query"
        pool = Pool()
        Request = pool.get('service_center.request')
        Deadline = pool.get('service_center.request.deadline')
        Callback = pool.get('service_center.callback')
        WorkOrder = pool.get('service_center.work_order')
        request = Request.__table__()
        deadline = Deadline.__table__()
        callback = Callback.__table__()
        order = WorkOrder.__table__()

        def of_requests(column):
            if request_ids is None:
                return Literal(True)
            return column.in_(request_ids)

        columns = [deadline.request.as_('request')]
        columns += decided_counts(deadline, KPI_TARGETS)
        columns.append(count_if(open_deadline(deadline)
                & deadline.target.in_(KPI_TARGETS)).as_('open_deadlines'))
        by_deadline = deadline.select(*columns,
            where=of_requests(deadline.request),
            group_by=[deadline.request])

        done = (callback.state == 'done') & callback.reached
        columns = [callback.request.as_('request')]
        for level in CALLBACK_LEVELS:
            columns.append(count_if(done & (callback.level == level)).as_(
                    '%s_reached' % level))
            columns.append(count_if(
                    done & (callback.level == level)
                    & accepted(callback)).as_('%s_satisfied' % level))
        columns.append(Max(Case((done & ~accepted(callback), 1),
                    else_=0)).as_('reopened'))
        columns.append(count_if(callback.contradicts == Literal(True)).as_(
                'contradicted'))
        by_callback = callback.select(*columns,
            where=of_requests(callback.request),
            group_by=[callback.request])

        columns = [order.request.as_('request')]
        columns += [Sum(Case((order.cost_bearer == bearer, order.cost),
                    else_=0)).as_('cost_%s' % bearer)
            for bearer in COST_BEARERS]
        columns.append(Sum(order.cost).as_('cost'))
        by_order = order.select(*columns,
            where=of_requests(order.request) & (order.state != 'cancelled'),
            group_by=[order.request])

        query = (request
            .join(by_deadline, 'LEFT',
                condition=by_deadline.request == request.id)
            .join(by_callback, 'LEFT',
                condition=by_callback.request == request.id)
            .join(by_order, 'LEFT',
                condition=by_order.request == request.id))
        columns = [request.id]
        columns += [getattr(request, c) for c in REQUEST_COLUMNS]
        columns.append(request.repeat_of != Null)
        columns.append(Coalesce(by_deadline.open_deadlines, 0))
        for target in KPI_TARGETS:
            for name in ['%s_met' % target, '%s_on_time' % target]:
                columns.append(Coalesce(getattr(by_deadline, name), 0))
        for level in CALLBACK_LEVELS:
            for name in ['%s_reached' % level, '%s_satisfied' % level]:
                columns.append(Coalesce(getattr(by_callback, name), 0))
        columns.append(Coalesce(by_callback.reopened, 0) == 1)
        columns.append(Coalesce(by_callback.contradicted, 0))
        for name in ['cost_%s' % b for b in COST_BEARERS]:
            columns.append(Coalesce(getattr(by_order, name), 0))
        columns.append(by_order.cost)
        return query.select(*columns,
            where=of_requests(request.id)
            & ~request.state.in_(['draft', 'cancelled']))



class EvaluatedMixin:
    """A model whose rows make a request's evaluation facts: creating one,
    or changing one of its _evaluated_fields, refreshes the facts of its
    request before the transaction commits"""
    __slots__ = ()
    _evaluated_fields = set()

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if mode == 'delete' or (mode == 'write'
                and not cls._evaluated_fields & set(field_names)):
            return
        Pool().get('service_center.kpi.fact').touch(
            cls._evaluated_requests(mode, records))

    @classmethod
    def _evaluated_requests(cls, mode, records):
        "The ids of the requests whose facts the records make"
        return [r.request.id for r in records]
