# This file is part of the coastal customer service project.
"""Supervision of the customer centres: the samples of closed requests the
regions and headquarters call back each month (levels 2 and 3 of the
three-level call-back), and the courtesy calls the centres make to owners"""
import math
import random
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from property_register import clock
from property_register.access import ReadRulesMixin
from property_register.common import (
    MAX_IDS,
    local_date,
    local_midnight,
)
from service_center.common import CallMixin
from sql import Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case

from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

# The share of a month's closed requests each level calls back again
SAMPLE_RATES = {'region': 0.5, 'hq': 0.2}
# The share of a project's owners who get a courtesy call each month
COURTESY_RATE = 0.2
# Owners called more recently than this come after the others
COURTESY_RECENT = relativedelta(months=6)


def round_half_up(value):
    return int(math.floor(value + 0.5))


def pick(population, rate, seed, forced=()):
    """Return the sorted ids drawn from population, a list of (id, stratum):
    every forced id, then the rest up to rate of the whole, shared among the
    strata in proportion to their size (largest remainder), so that each
    centre and category keeps its weight. The same seed and population draw
    the same sample."""
    rng = random.Random(seed)
    chosen = set(forced)
    strata = defaultdict(list)
    for id_, stratum in sorted(population):
        if id_ not in chosen:
            strata[stratum].append(id_)
    remaining = sum(map(len, strata.values()))
    wanted = min(
        round_half_up(rate * len(population)) - len(chosen), remaining)
    if wanted <= 0:
        return sorted(chosen)
    keys = sorted(strata)
    shares = {k: wanted * len(strata[k]) / remaining for k in keys}
    quotas = {k: math.floor(shares[k]) for k in keys}
    ties = {k: rng.random() for k in keys}
    by_remainder = sorted(keys, key=lambda k: (quotas[k] - shares[k], ties[k]))
    for key in by_remainder[:wanted - sum(quotas.values())]:
        quotas[key] += 1
    for key in keys:
        chosen.update(rng.sample(strata[key], quotas[key]))
    return sorted(chosen)


def month_bounds(month):
    """The first instant of the month and of the next one in the company's
    time zone, as naive UTC"""
    first = month.replace(day=1)
    return (local_midnight(first),
        local_midnight(first + relativedelta(months=1)))


def last_month():
    "The first day of the month before the company's current one"
    return local_date(clock.now()).replace(day=1) - relativedelta(months=1)


class CallbackSample(ReadRulesMixin, ModelSQL, ModelView):
    __string__ = "Call-back Sample"
    __name__ = 'service_center.callback.sample'

    month = fields.Date(
        "Month", required=True, readonly=True,
        help="The month whose closed requests were sampled.")
    level = fields.Selection([
            ('region', "Region (Level 2)"),
            ('hq', "Headquarters (Level 3)"),
            ], "Level", required=True, readonly=True)
    level_string = level.translated('level')
    region = fields.Many2One(
        'service_center.region', "Region", readonly=True,
        states={
            'invisible': Eval('level') != 'region',
            })
    rate = fields.Float("Rate", digits=(1, 2), readonly=True)
    seed = fields.Integer(
        "Seed", readonly=True,
        help="Draws the same sample again from the same closed requests.")
    population = fields.Integer(
        "Closed Requests", readonly=True,
        help="The requests closed in the month that the sample was drawn "
        "from.")
    drawn_at = fields.Timestamp("Drawn at", readonly=True)
    callbacks = fields.One2Many(
        'service_center.callback', 'sample', "Call-backs", readonly=True)
    size = fields.Function(fields.Integer("Sampled"), 'get_counts')
    done = fields.Function(fields.Integer("Called Back"), 'get_counts')
    contradicted = fields.Function(
        fields.Integer(
            "Contradicted",
            help="Call-backs where the owner did not confirm what the "
            "centre recorded."),
        'get_counts')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('month_level_region_unique',
                Unique(t, t.month, t.level, t.region),
                'service_supervision.msg_sample_unique'),
            ]
        cls._order = [('month', 'DESC'), ('level', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        level = self.region.rec_name if self.region else self.level_string
        return '%s %s' % (self.month.strftime('%Y-%m'), level)

    @classmethod
    def get_counts(cls, samples, names):
        Callback = Pool().get('service_center.callback')
        callback = Callback.__table__()
        cursor = Transaction().connection.cursor()
        result = {n: {s.id: 0 for s in samples} for n in names}
        for sub in grouped_slice(samples, MAX_IDS):
            cursor.execute(*callback.select(
                    callback.sample,
                    Count(callback.id),
                    Sum(Case((callback.state == 'done', 1), else_=0)),
                    Sum(Case((callback.contradicts, 1), else_=0)),
                    where=fields.SQL_OPERATORS['in'](
                        callback.sample, [s.id for s in sub]),
                    group_by=[callback.sample]))
            for sample, size, done, contradicted in cursor:
                for name, value in [('size', size), ('done', done),
                        ('contradicted', contradicted)]:
                    if name in result:
                        result[name][sample] = int(value or 0)
        return result

    @classmethod
    def _population(cls, month, region=None):
        """Return (id, kind, centre, category) of the requests closed in the
        month, in the region if given"""
        pool = Pool()
        Request = pool.get('service_center.request')
        Center = pool.get('service_center.center')
        request = Request.__table__()
        center = Center.__table__()
        cursor = Transaction().connection.cursor()
        start, end = month_bounds(month)
        where = ((request.state == 'closed')
            & (request.closed_at >= start) & (request.closed_at < end))
        if region:
            where &= center.region == region.id
        cursor.execute(*request.join(center, 'LEFT',
                condition=request.center == center.id).select(
                request.id, request.kind, request.center, request.category,
                where=where))
        return cursor.fetchall()

    @classmethod
    def draw(cls, month, level, region=None, seed=None):
        """Draw the sample of the month's closed requests for the level and
        create its call-backs; complaints are always in a region's sample"""
        pool = Pool()
        Callback = pool.get('service_center.callback')
        Center = pool.get('service_center.center')
        Request = pool.get('service_center.request')
        month = month.replace(day=1)
        if seed is None:
            seed = random.SystemRandom().randrange(1, 2 ** 31)
        rows = cls._population(month, region)
        forced = [r[0] for r in rows if r[1] == 'complaint'] if (
            level == 'region') else []
        ids = pick([(r[0], (r[2] or 0, r[3])) for r in rows],
            SAMPLE_RATES[level], seed, forced)
        sample = cls(
            month=month, level=level, region=region,
            rate=SAMPLE_RATES[level], seed=seed, population=len(rows),
            drawn_at=clock.now())
        sample.save()

        cross = level == 'region' and region.sample_mode == 'cross'
        centers = Center.search(
            [('region', '=', region.id)], order=[('id', 'ASC')]) if (
            cross) else []
        # Due at the end of the month after the sampled one
        due_at = month_bounds(month)[1] + relativedelta(months=1)
        callbacks = []
        for i, request in enumerate(Request.browse(ids)):
            callback = Callback(
                request=request, level=level, mode='sampled',
                sample=sample, due_at=due_at)
            others = [c for c in centers if c != request.center]
            if others:
                callback.mode = 'cross'
                callback.caller_center = others[i % len(others)]
            callbacks.append(callback)
        Callback.save(callbacks)
        return sample

    @classmethod
    def draw_monthly(cls, month=None):
        """Draw the samples of the month (by default the last one) not
        drawn yet: one per region with closed requests, one for
        headquarters"""
        Region = Pool().get('service_center.region')
        if month is None:
            month = last_month()
        month = month.replace(day=1)
        drawn = {(s.level, s.region) for s in cls.search([
                    ('month', '=', month),
                    ])}
        samples = []
        for region in Region.search([]):
            if (('region', region) not in drawn
                    and cls._population(month, region)):
                samples.append(cls.draw(month, 'region', region))
        if ('hq', None) not in drawn and cls._population(month):
            samples.append(cls.draw(month, 'hq'))
        return samples


class CourtesyCall(ReadRulesMixin, CallMixin, Workflow, ModelSQL, ModelView):
    __string__ = "Courtesy Call"
    __name__ = 'service_center.courtesy_call'
    _states = {
        'readonly': Eval('state') != 'pending',
        }

    month = fields.Date("Month", required=True, readonly=True)
    project = fields.Many2One(
        'service_center.project', "Project", required=True, readonly=True,
        ondelete='RESTRICT')
    center = fields.Many2One(
        'service_center.center', "Customer Centre", readonly=True,
        ondelete='RESTRICT')
    party = fields.Many2One(
        'party.party', "Owner", required=True, readonly=True,
        ondelete='RESTRICT')
    reached = fields.Boolean("Reached", states=_states)
    note = fields.Text(
        "Owner's Remarks", states=_states,
        help="What the owner said: wishes, worries, anything to follow up.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('project')
        t = cls.__table__()
        cls._sql_constraints = [
            ('month_project_party_unique',
                Unique(t, t.month, t.project, t.party),
                'service_supervision.msg_courtesy_call_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Range()), (t.month, Index.Range())),
                Index(t, (t.state, Index.Equality()),
                    where=t.state == 'pending'),
                })
        cls._order = [('month', 'DESC'), ('project', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_reached(cls):
        return False

    def get_rec_name(self, name):
        return '%s %s' % (self.month.strftime('%Y-%m'), self.party.rec_name)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def done(cls, calls):
        cls.write(calls, {
                'done_by': Transaction().user,
                'done_at': clock.now(),
                })

    @classmethod
    def _owners(cls, month):
        "Return {project id: sorted owner party ids} of the month"
        pool = Pool()
        Ownership = pool.get('service_center.ownership')
        Unit = pool.get('service_center.unit')
        ownership = Ownership.__table__()
        unit = Unit.__table__()
        cursor = Transaction().connection.cursor()
        first = month.replace(day=1)
        cursor.execute(*ownership.join(
                unit, condition=ownership.unit == unit.id).select(
                unit.project, ownership.party,
                where=ownership.role.in_(['owner', 'co_owner'])
                & ((ownership.start_date == Null)
                    | (ownership.start_date
                        < first + relativedelta(months=1)))
                & ((ownership.end_date == Null)
                    | (ownership.end_date >= first)),
                group_by=[unit.project, ownership.party]))
        owners = defaultdict(list)
        for project, party in cursor:
            owners[project].append(party)
        return {p: sorted(parties) for p, parties in owners.items()}

    @classmethod
    def plan_monthly(cls, month=None):
        """Pick the month's courtesy calls (by default this month's): in
        every project not planned yet, a fifth of its owners, those not
        called in the last six months first; returns how many were planned"""
        pool = Pool()
        CenterProject = pool.get(
            'service_center.center-service_center.project')
        if month is None:
            month = local_date(clock.now())
        month = month.replace(day=1)
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(
                table.project, table.party,
                where=(table.month >= month - COURTESY_RECENT)
                & (table.month <= month)))
        recent, planned = set(), set()
        for project, party in cursor:
            recent.add((project, party))
        cursor.execute(*table.select(
                table.project, where=table.month == month,
                group_by=[table.project]))
        planned = {p for p, in cursor}
        relation = CenterProject.__table__()
        cursor.execute(*relation.select(relation.project, relation.center))
        centers = dict(cursor)

        calls = []
        for project, parties in cls._owners(month).items():
            if project in planned:
                continue
            rng = random.Random('%s/%s' % (month.isoformat(), project))
            order = sorted(parties, key=lambda p: (
                    (project, p) in recent, rng.random()))
            size = max(1, round_half_up(COURTESY_RATE * len(parties)))
            calls.extend({
                    'month': month, 'project': project,
                    'center': centers.get(project), 'party': party,
                    } for party in order[:size])
        for sub in grouped_slice(calls, MAX_IDS):
            cls.create(list(sub))
        return len(calls)
