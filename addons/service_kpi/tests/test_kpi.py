# This file is part of the coastal customer service project.
"""The centre's evaluation figures against the same figures counted by hand
from the recorded requests, deadlines and call-backs"""
import datetime as dt
from decimal import Decimal

from property_register.tests.tools import clock_at as clock
from service_center.callback import SATISFIED
from service_center.tests.test_request import FRIDAY, RequestFixtures
from service_supervision import supervision
from service_supervision.tests import test_supervision

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests import test_tryton
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .. import kpi

# The report looks at October 2026; FRIDAY is 9 October
OCTOBER = {
    'from_date': dt.date(2026, 10, 1),
    'to_date': dt.date(2026, 10, 31),
    }
LATER = FRIDAY + dt.timedelta(days=1)




class KPITestCase(RequestFixtures, test_tryton._DBTestCase):
    "Test the evaluation report"
    module = 'service_kpi'

    def _month(self, company):
        """Record a month of requests with known outcomes; return the
        requests that belong to October"""
        pool = Pool()
        Request = pool.get('service_center.request')
        Callback = pool.get('service_center.callback')
        Escalation = pool.get('service_center.escalation')
        _, units, owners, _ = self._register(company)

        def call_back(request, satisfaction, confirmed=True):
            callback, = Request(request.id).callbacks
            callback.reached = True
            callback.confirmed_closed = confirmed
            callback.satisfaction = satisfaction
            callback.save()
            Callback.done([callback])

        with clock(FRIDAY):
            answered = self._request(
                units[0], owners[0], kind='enquiry',
                category='property_service', answer="At nine")
            complained = self._request(
                units[1], owners[1], kind='complaint',
                category='opinion', answer="We apologise")
            Request.resolve_on_spot([answered, complained])
            # Left waiting: its acknowledgement will be missed
            waiting = self._request(units[2], owners[2])
            hotline = self._request(
                units[3], owners[3], kind='enquiry',
                category='property_service', channel='hotline_400')
            cancelled = self._request(units[4], owners[4])
            cancelled.cancel_reason = "Called by mistake"
            cancelled.save()
            Request.cancel([cancelled])
        with clock(FRIDAY - dt.timedelta(days=31)):
            self._request(units[4], owners[4])  # September
        with clock(FRIDAY + dt.timedelta(hours=2)):
            call_back(answered, 'very_satisfied')
            call_back(complained, 'dissatisfied', confirmed=False)
            Escalation.sweep()
        return [answered, complained, waiting, hotline]

    def _by_hand(self, requests, at):
        "The figures of the requests, counted from their records"
        pool = Pool()
        Request = pool.get('service_center.request')
        requests = Request.browse(requests)
        count = len(requests)
        figures = {
            'requests': count,
            'one_call': sum(r.one_call for r in requests),
            }
        figures['one_call_rate'] = figures['one_call'] / count
        for kind in ['complaint', 'enquiry', 'suggestion', 'repair', 'praise']:
            figures[kind] = sum(r.kind == kind for r in requests)
        for level in range(1, 5):
            figures['level%d_rate' % level] = sum(
                r.escalation_level >= level for r in requests) / count
        for target in kpi.KPI_TARGETS:
            counted = [d for r in requests for d in r.deadlines
                if d.target == target and d.state != 'void'
                and (d.met_at or d.due_at < at)]
            on_time = [d for d in counted
                if d.met_at and d.met_at <= d.due_at]
            figures['%s_rate' % target] = (
                len(on_time) / len(counted) if counted else None)
        def reached(levels):
            return [c for r in requests for c in r.callbacks
                if c.state == 'done' and c.reached and c.level in levels]

        def accepted(callback):
            return (callback.confirmed_closed
                and callback.satisfaction in SATISFIED)

        def satisfaction(levels):
            callbacks = reached(levels)
            if callbacks:
                return sum(map(accepted, callbacks)) / len(callbacks)

        centre = reached({'center'})
        figures['callbacks'] = len(centre)
        figures['satisfied'] = sum(map(accepted, centre))
        figures['satisfaction_rate'] = satisfaction({'center'})
        # Not accepted at any call-back, the centre's or a sample's
        figures['reopened'] = len({c.request.id
                for c in reached({'center', 'region', 'hq'})
                if not accepted(c)})
        figures['reopen_rate'] = figures['reopened'] / count
        figures['region_satisfaction_rate'] = satisfaction({'region'})
        figures['hq_satisfaction_rate'] = satisfaction({'hq'})
        sampled = satisfaction({'region', 'hq'})
        figures['satisfaction_gap'] = (
            figures['satisfaction_rate'] - sampled
            if sampled is not None else None)
        figures['contradicted'] = sum(
            bool(c.contradicts) for r in requests for c in r.callbacks)

        complaints = [r for r in requests if r.kind == 'complaint']
        figures['repeat_complaints'] = sum(bool(r.repeat_of) for r in requests)
        figures['repeat_complaint_rate'] = (
            figures['repeat_complaints'] / len(complaints)
            if complaints else None)

        def missed(request, target, own):
            return any(d.target == target and d.state != 'void'
                and not d.met_at and d.due_at < at
                and not (own and d.work_order) for d in request.deadlines)
        figures['undispatched'] = sum(
            r.state == 'registered' and missed(r, 'ack', True)
            for r in requests)
        figures['uncalled'] = sum(
            missed(r, 'callback', False) for r in requests)
        figures['omission_rate'] = (
            figures['undispatched'] + figures['uncalled']) / count
        figures['undecided_alarms'] = len({r.alarm.id for r in requests
                if r.alarm and r.alarm.state in {'open', 'meeting'}})
        orders = [w for r in requests for w in r.work_orders
            if w.state != 'cancelled']
        for bearer in kpi.COST_BEARERS:
            figures['cost_%s' % bearer] = sum(w.cost or 0 for w in orders
                if w.cost_bearer == bearer)
        figures['cost'] = sum(w.cost or 0 for w in orders)
        return figures

    def _assert_figures(self, row, expected):
        for name, value in expected.items():
            with self.subTest(name=name):
                if isinstance(value, float):
                    self.assertAlmostEqual(getattr(row, name), value)
                else:
                    self.assertEqual(getattr(row, name), value)

    @with_transaction()
    def test_month_figures(self):
        "The report shows what the records say, and only the period's"
        pool = Pool()
        KPI = pool.get('service_center.kpi.center')
        Center = pool.get('service_center.center')
        company = create_company()
        with set_company(company):
            requests = self._month(company)
            center, = Center.search([])
            at = LATER
            with clock(at), Transaction().set_context(OCTOBER):
                row, = KPI.search([])
                expected = self._by_hand(requests, at)
            self.assertEqual(row.center, center)
            self._assert_figures(row, expected)
            # What the story above says, so the hand count is checked too
            self.assertEqual(row.requests, 4)
            self.assertEqual(row.one_call, 2)
            self.assertEqual(row.complaint, 1)
            self.assertEqual((row.callbacks, row.satisfied), (2, 1))
            self.assertEqual(row.reopened, 1)
            self.assertAlmostEqual(row.satisfaction_rate, 0.5)
            self.assertAlmostEqual(row.level4_rate, 0.25)
            self.assertAlmostEqual(row.ack_rate, 0.5)
            # The waiting request and the hotline enquiry were never sent on
            self.assertEqual((row.undispatched, row.uncalled), (2, 0))
            self.assertAlmostEqual(row.omission_rate, 0.5)

            with clock(at), Transaction().set_context(
                    from_date=dt.date(2026, 11, 1),
                    to_date=dt.date(2026, 11, 30)):
                self.assertEqual(KPI.search([]), [])

    @with_transaction()
    def test_open_requests(self):
        "The figures open on the requests behind them"
        pool = Pool()
        KPI = pool.get('service_center.kpi.center')
        Request = pool.get('service_center.request')
        OpenRequests = pool.get(
            'service_center.kpi.open_requests', type='wizard')
        company = create_company()
        with set_company(company):
            requests = self._month(company)
            with clock(LATER), Transaction().set_context(OCTOBER):
                row, = KPI.search([])
                with Transaction().set_context(
                        active_model=KPI.__name__, active_id=row.id,
                        active_ids=[row.id]):
                    session_id, _, _ = OpenRequests.create()
                    wizard = OpenRequests(session_id)
                    action, _ = wizard.do_open_(
                        {'name': "Requests", 'pyson_domain': '[]'})
            domain = PYSONDecoder().decode(action['pyson_domain'])
            self.assertEqual(
                sorted(Request.search(domain)), sorted(requests))

    @with_transaction()
    def test_region_scope(self):
        "The region's leadership sees its own centres' figures only"
        pool = Pool()
        KPI = pool.get('service_center.kpi.center')
        Region = pool.get('service_center.region')
        Project = pool.get('service_center.project')
        Center = pool.get('service_center.center')
        Building = pool.get('service_center.building')
        Unit = pool.get('service_center.unit')
        Party = pool.get('party.party')
        Ownership = pool.get('service_center.ownership')
        company = create_company()
        with set_company(company):
            people, units, owners, _ = self._register(company)
            other, = Region.create([{
                        'name': "Qingdao", 'code': 'QD',
                        'company': company.id}])
            project, = Project.create([{
                        'name': "Hillside", 'code': 'SS',
                        'region': other.id}])
            building, = Building.create([{
                        'project': project.id, 'name': 'A'}])
            unit, = Unit.create([{
                        'project': project.id, 'building': building.id,
                        'room': '1', 'code': 'A-1'}])
            owner, = Party.create([{'name': "Hill Owner"}])
            Ownership.create([{
                        'unit': unit.id, 'party': owner.id, 'role': 'owner'}])
            away, = Center.create([{
                        'name': "Hill Centre", 'code': 'H',
                        'region': other.id,
                        'projects': [('add', [project.id])]}])
            with clock(FRIDAY):
                self._request(units[0], owners[0])
                self._request(unit, owner)
            home, = Center.search([('region.code', '=', 'DL')])

            with clock(LATER), Transaction().set_context(OCTOBER):
                self.assertEqual(
                    sorted(r.center for r in KPI.search([])),
                    sorted([home, away]))
                for user, expected in [('lee', [home]), ('hugo', None)]:
                    with Transaction().set_user(people[user].id), \
                            Transaction().set_context(_check_access=True):
                        rows = KPI.search([])
                        centers = sorted(r.center.id for r in rows)
                    with self.subTest(user=user):
                        self.assertEqual(centers, sorted(
                                c.id for c in expected or [home, away]))

    @with_transaction()
    def test_repeats_costs_and_departments(self):
        """Repeat complaints, costs and department scores come from the
        records; region, group and fortnight show the same requests"""
        pool = Pool()
        Request = pool.get('service_center.request')
        WorkOrder = pool.get('service_center.work_order')
        Callback = pool.get('service_center.callback')
        Department = pool.get('service_center.department')
        Configuration = pool.get('service_center.kpi.configuration')
        CenterKPI = pool.get('service_center.kpi.center')
        RegionKPI = pool.get('service_center.kpi.region')
        GroupKPI = pool.get('service_center.kpi.group')
        DepartmentKPI = pool.get('service_center.kpi.department')
        company = create_company()
        with set_company(company):
            people, units, owners, engineering = self._register(company)
            upkeep, = Department.create([{
                        'name': "Upkeep", 'kind': 'property_maintenance',
                        'region': engineering.region.id,
                        'responsible': people['hank'].id}])

            def complain(owner, category, days_before=0):
                with clock(FRIDAY - dt.timedelta(days=days_before)):
                    return self._request(
                        units[owners.index(owner)], owner,
                        kind='complaint', category=category)
            complain(owners[1], 'opinion', days_before=20)
            complain(owners[2], 'opinion', days_before=100)
            repeated = complain(owners[1], 'opinion')
            other = complain(owners[1], 'property_service')
            late = complain(owners[2], 'opinion')
            self.assertEqual(repeated.repeat_of.party, owners[1])
            self.assertIsNone(other.repeat_of)
            self.assertIsNone(late.repeat_of)

            def work(request, department, cost, bearer, minutes):
                "Dispatch at once, acknowledge and agree the visit late"
                order, = WorkOrder.create([{
                            'request': request.id,
                            'department': department.id,
                            'responsible': department.responsible.id,
                            'cost': cost, 'cost_bearer': bearer}])
                Request.dispatch([request])
                with clock(FRIDAY + dt.timedelta(minutes=minutes)):
                    WorkOrder.acknowledge([order])
                    order.visit_planned_at = FRIDAY + dt.timedelta(hours=2)
                    order.save()
                    WorkOrder.plan([order])
                with clock(FRIDAY + dt.timedelta(hours=2)):
                    WorkOrder.arrive([order])
                    order.signed_by = "Owner"
                    order.signature = b'signature'
                    order.save()
                    WorkOrder.do([order])
                return order

            with clock(FRIDAY):
                leak = self._request(units[0], owners[0])
                fixed = work(leak, engineering, Decimal('120'),
                    'developer', 5)
                work(repeated, upkeep, Decimal('50'), 'owner', 30)
            with clock(FRIDAY + dt.timedelta(hours=5)):
                for request, satisfaction in [
                        (leak, 'satisfied'), (repeated, 'dissatisfied')]:
                    callback, = Request(request.id).callbacks
                    callback.reached = True
                    callback.confirmed_closed = True
                    callback.satisfaction = satisfaction
                    callback.save()
                    Callback.done([callback])

            october = [leak, repeated, other, late]
            with clock(LATER), Transaction().set_context(OCTOBER):
                expected = self._by_hand(october, LATER)
                row, = CenterKPI.search([])
                self._assert_figures(row, expected)
                self.assertEqual(row.repeat_complaints, 1)
                self.assertAlmostEqual(row.repeat_complaint_rate, 1 / 3)
                self.assertEqual(
                    (row.cost_developer, row.cost_owner, row.cost),
                    (Decimal('120'), Decimal('50'), Decimal('170')))
                # The same requests, seen as the region and the group
                for Scope in [RegionKPI, GroupKPI]:
                    scope, = Scope.search([])
                    with self.subTest(scope=Scope.__name__):
                        self._assert_figures(scope, expected)

                rows = {r.department: r for r in DepartmentKPI.search([])}
                self.assertEqual(set(rows), {engineering, upkeep})
                for department, satisfied in [
                        (engineering, 1.0), (upkeep, 0.0)]:
                    row = rows[department]
                    orders = WorkOrder.search(
                        [('department', '=', department.id)])
                    rates = self._department_rates(orders, LATER)
                    rates['satisfaction'] = satisfied
                    rates['no_reopen'] = satisfied
                    with self.subTest(department=department.name):
                        self.assertEqual(
                            (row.work_orders, row.done), (1, 1))
                        self.assertEqual(row.cost, orders[0].cost)
                        self.assertAlmostEqual(row.ack_rate, rates['ack'])
                        self.assertAlmostEqual(
                            row.contact_rate, rates['contact'])
                        self.assertAlmostEqual(
                            row.score, self._score(rates, kpi.SCORE_WEIGHTS))
                # On time in every step and satisfied: full marks
                self.assertAlmostEqual(rows[engineering].score, 100)
                self.assertAlmostEqual(rows[upkeep].ack_rate, 0)

                # Only satisfaction counts now
                config = Configuration(1)
                for name in kpi.SCORE_WEIGHTS:
                    setattr(config, 'score_weight_%s' % name, 0)
                config.score_weight_satisfaction = 1
                config.save()
                scores = {r.department: r.score
                    for r in DepartmentKPI.search([])}
                self.assertEqual(scores, {engineering: 100, upkeep: 0})

                with Transaction().set_context(
                        active_model=DepartmentKPI.__name__,
                        active_id=rows[engineering].id):
                    domain = DepartmentKPI.requests_domain(
                        rows[engineering])
                self.assertEqual(Request.search(domain), [leak])
                self.assertEqual(fixed.request, leak)

            # The requests are all in the first fortnight of October
            for day, count in [(9, 1), (15, 1), (16, 0), (31, 0)]:
                with clock(LATER), Transaction().set_context(
                        period='fortnight', date=dt.date(2026, 10, day)):
                    with self.subTest(day=day):
                        self.assertEqual(len(CenterKPI.search([])), count)
            self._assert_facts_rebuilt()

    def _facts(self):
        "Every column of every request's evaluation facts"
        Fact = Pool().get('service_center.kpi.fact')
        fact = Fact.__table__()
        cursor = Transaction().connection.cursor()
        Fact.flush()
        cursor.execute(*fact.select(
                *Fact._columns(fact), order_by=[fact.id]))
        return [tuple(r) for r in cursor]

    def _assert_facts_rebuilt(self):
        """The facts kept along the way are those computed anew from the
        records"""
        Fact = Pool().get('service_center.kpi.fact')
        kept = self._facts()
        Fact.refresh()
        self.assertEqual(kept, self._facts())
        return kept

    @with_transaction()
    def test_facts_follow_the_records(self):
        """The evaluation facts kept as the requests go along are those
        computed anew, for the counted requests only"""
        pool = Pool()
        Request = pool.get('service_center.request')
        Callback = pool.get('service_center.callback')
        company = create_company()
        with set_company(company):
            requests = self._month(company)
            facts = self._assert_facts_rebuilt()
            counted = Request.search([
                    ('state', 'not in', ['draft', 'cancelled'])])
            # The four of October and the one of September, not the
            # cancelled one
            self.assertEqual(len(counted), 5)
            self.assertEqual(
                [f[0] for f in facts], sorted(r.id for r in counted))
            self.assertTrue(set(r.id for r in requests) <= {
                    f[0] for f in facts})

            # The region's sample of a closed request: only the call-back
            # changes, the request stays closed
            answered = requests[0]
            sample, = Callback.create([{
                        'request': answered.id, 'level': 'region',
                        'mode': 'sampled'}])
            # Drawn on the 1st, answered later: the facts were refreshed
            # in between, as the drawing's transaction commits
            pool.get('service_center.kpi.fact').flush()
            sample.reached = True
            sample.confirmed_closed = True
            sample.satisfaction = 'satisfied'
            sample.save()
            Callback.done([sample])
            self.assertEqual(Request(answered.id).state, 'closed')
            with clock(LATER), Transaction().set_context(OCTOBER):
                row, = pool.get('service_center.kpi.center').search([])
                self.assertAlmostEqual(row.region_satisfaction_rate, 1)
            self._assert_facts_rebuilt()

            # A change made in the transaction counts at once: the
            # waiting request is cancelled
            waiting = requests[2]
            waiting.cancel_reason = "Duplicate"
            waiting.save()
            Request.cancel([waiting])
            with clock(LATER), Transaction().set_context(OCTOBER):
                row, = pool.get('service_center.kpi.center').search([])
                self.assertEqual(row.requests, 3)
            self.assertNotIn(
                waiting.id, [f[0] for f in self._assert_facts_rebuilt()])

    def _department_rates(self, orders, at):
        "The on-time rates of the work orders' own deadlines"
        rates = {}
        for target in ['ack', 'contact', 'onsite']:
            counted = [d for o in orders for d in o.request.deadlines
                if d.work_order == o and d.target == target
                and d.state != 'void' and (d.met_at or d.due_at < at)]
            on_time = [d for d in counted
                if d.met_at and d.met_at <= d.due_at]
            rates[target] = (
                len(on_time) / len(counted) if counted else None)
        return rates

    def _score(self, rates, weights):
        counted = {n: r for n, r in rates.items() if r is not None}
        return 100 * sum(weights[n] * r for n, r in counted.items()) / sum(
            weights[n] for n in counted)

    @with_transaction()
    def test_days_in_company_time_zone(self):
        "A request of 1 a.m. in Shanghai counts in that day's month"
        pool = Pool()
        KPI = pool.get('service_center.kpi.center')
        Request = pool.get('service_center.request')
        company = create_company()
        company.timezone = 'Asia/Shanghai'
        company.save()
        # 1 November, 01:00 in Shanghai; still 31 October in UTC
        night = dt.datetime(2026, 10, 31, 17, 0)
        with set_company(company):
            _, units, owners, _ = self._register(company)
            with clock(night):
                request = self._request(units[0], owners[0])
            self.assertEqual(
                Request(request.id).received_date, dt.date(2026, 11, 1))
            with clock(night), Transaction().set_context(OCTOBER):
                self.assertEqual(KPI.search([]), [])
            with clock(night), Transaction().set_context(
                    period='month', date=dt.date(2026, 11, 1)):
                row, = KPI.search([])
                self.assertEqual(row.requests, 1)
            # The samples of November are drawn from Shanghai's month
            self.assertEqual(supervision.month_bounds(dt.date(2026, 11, 5)),
                (dt.datetime(2026, 10, 31, 16, 0),
                    dt.datetime(2026, 11, 30, 16, 0)))
            with clock(night):
                self.assertEqual(
                    supervision.last_month(), dt.date(2026, 10, 1))

    def test_period_bounds(self):
        "Months and fortnights split as the bi-weekly report expects"
        for period, day, expected in [
                ('month', dt.date(2026, 2, 14),
                    (dt.date(2026, 2, 1), dt.date(2026, 2, 28))),
                ('fortnight', dt.date(2026, 2, 15),
                    (dt.date(2026, 2, 1), dt.date(2026, 2, 15))),
                ('fortnight', dt.date(2026, 2, 16),
                    (dt.date(2026, 2, 16), dt.date(2026, 2, 28))),
                ('fortnight', dt.date(2026, 12, 31),
                    (dt.date(2026, 12, 16), dt.date(2026, 12, 31))),
                ]:
            with self.subTest(period=period, day=day):
                self.assertEqual(kpi.period_bounds(period, day), expected)


class SampledKPITestCase(RequestFixtures, test_tryton._DBTestCase):
    "Test the evaluation of the sampled call-backs"
    module = 'service_kpi'
    _closed_month = test_supervision.SupervisionTestCase._closed_month
    _draw = test_supervision.SupervisionTestCase._draw
    _contradict = test_supervision.SupervisionTestCase._contradict
    CONTRADICTED_AT = test_supervision.SupervisionTestCase.CONTRADICTED_AT

    @with_transaction()
    def test_contradicting_callback(self):
        "HQ's sample shows its satisfaction and the gap to the centre's"
        KPI = Pool().get('service_center.kpi.center')
        company = create_company()
        with set_company(company):
            self._contradict(company)
            with clock(self.CONTRADICTED_AT), \
                    Transaction().set_context(OCTOBER):
                row, = KPI.search([])
            self.assertEqual(row.contradicted, 1)
            self.assertAlmostEqual(row.hq_satisfaction_rate, 0.5)
            self.assertIsNone(row.region_satisfaction_rate)
            self.assertAlmostEqual(row.satisfaction_rate, 1)
            self.assertAlmostEqual(row.satisfaction_gap, 0.5)
