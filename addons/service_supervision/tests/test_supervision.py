# This file is part of the coastal customer service project.
"""The three-level call-back: the monthly samples of the regions and
headquarters, what a contradicting answer does, and the courtesy calls"""
import datetime as dt

from property_register.tests.tools import clock_at as clock
from service_center.exceptions import CallbackError
from service_center.tests.test_request import FRIDAY, RequestFixtures

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from ..supervision import pick

OCTOBER_MONTH = dt.date(2026, 10, 1)
CLOSED = FRIDAY + dt.timedelta(hours=2)
# Kind and category of the month's closed requests: 3 complaints of 12
CLOSED_MIX = (
    [('complaint', 'opinion')] * 3
    + [('enquiry', 'property_service')] * 5
    + [('suggestion', 'common_upkeep')] * 4)


class PickTestCase(test_tryton.TestCase):
    "Test the drawing of a sample"

    def test_reproducible(self):
        "The same seed draws the same sample, another seed another"
        population = [(i, i % 3) for i in range(1, 201)]
        self.assertEqual(
            pick(population, 0.5, 42), pick(list(reversed(population)),
                0.5, 42))
        self.assertNotEqual(pick(population, 0.5, 42),
            pick(population, 0.5, 43))

    def test_balanced(self):
        "Each stratum gives its share; forced ids are always in"
        population = ([(i, 'a') for i in range(1, 61)]
            + [(i, 'b') for i in range(61, 81)]
            + [(i, 'c') for i in range(81, 101)])
        forced = [81, 82, 83, 84]
        sample = pick(population, 0.2, 7, forced)
        self.assertEqual(len(sample), 20)
        self.assertTrue(set(forced) <= set(sample))
        by_stratum = {s: sum(1 for i, t in population
                if t == s and i in sample and i not in forced)
            for s in 'abc'}
        # 16 drawn from 96 left: 60 a, 20 b, 16 c
        self.assertEqual(by_stratum, {'a': 10, 'b': 3, 'c': 3})

    def test_forced_beyond_rate(self):
        "More forced ids than the rate asks: all of them, nothing more"
        population = [(i, 'a') for i in range(1, 11)]
        self.assertEqual(pick(population, 0.2, 1, [2, 4, 6]), [2, 4, 6])

    def test_empty(self):
        self.assertEqual(pick([], 0.5, 1), [])


class SupervisionTestCase(RequestFixtures, test_tryton._DBTestCase):
    "Test the samples and courtesy calls"
    module = 'service_supervision'

    def _closed_month(self, company):
        """Close the month's requests as the centre would; return them and
        the fixtures"""
        pool = Pool()
        Request = pool.get('service_center.request')
        Callback = pool.get('service_center.callback')
        people, units, owners, department = self._register(company)
        requests = []
        with clock(FRIDAY):
            for i, (kind, category) in enumerate(CLOSED_MIX):
                requests.append(self._request(
                        units[i % len(units)], owners[i % len(owners)],
                        kind=kind, category=category, answer="Done"))
            Request.resolve_on_spot(requests)
            # Resolved but not called back: not closed, not sampled
            self._request(units[0], owners[0], kind='enquiry',
                category='property_service', answer="Soon")
        with clock(CLOSED):
            callbacks = [c for r in Request.browse(requests)
                for c in r.callbacks]
            Callback.write(callbacks, {
                    'reached': True, 'confirmed_closed': True,
                    'satisfaction': 'satisfied'})
            Callback.done(callbacks)
        self.assertEqual(
            {r.state for r in Request.browse(requests)}, {'closed'})
        return requests, people, units, owners

    def _draw(self):
        Sample = Pool().get('service_center.callback.sample')
        with clock(dt.datetime(2026, 11, 1, 2)):
            return Sample.draw_monthly()

    @with_transaction()
    def test_monthly_samples(self):
        "Half of the closed requests with every complaint, a fifth at HQ"
        pool = Pool()
        Sample = pool.get('service_center.callback.sample')
        company = create_company()
        with set_company(company):
            requests, *_ = self._closed_month(company)
            region_sample, hq_sample = self._draw()

            self.assertEqual(
                (region_sample.month, region_sample.level),
                (OCTOBER_MONTH, 'region'))
            self.assertEqual(region_sample.population, len(requests))
            self.assertEqual(region_sample.size, len(requests) // 2)
            sampled = {c.request for c in region_sample.callbacks}
            complaints = {r for r in requests if r.kind == 'complaint'}
            self.assertTrue(complaints <= sampled)
            self.assertEqual(
                {(c.level, c.mode, c.state) for c in region_sample.callbacks},
                {('region', 'sampled', 'pending')})
            # 20% of 12, rounded
            self.assertEqual(hq_sample.size, 2)
            self.assertEqual(hq_sample.level, 'hq')

            # The stored seed draws the same sample again
            population = Sample._population(OCTOBER_MONTH)
            self.assertEqual(
                pick([(r[0], (r[2], r[3])) for r in population],
                    hq_sample.rate, hq_sample.seed),
                sorted(c.request.id for c in hq_sample.callbacks))
            # Once a month
            self.assertEqual(self._draw(), [])

    # When HQ's contradicting call-back is done
    CONTRADICTED_AT = dt.datetime(2026, 11, 3, 2)

    def _contradict(self, company):
        """Call back HQ's sample of the closed month: the first owner says
        otherwise, the second is satisfied; return both call-backs"""
        pool = Pool()
        Callback = pool.get('service_center.callback')
        _, people, _, _ = self._closed_month(company)
        _, hq_sample = self._draw()
        callback, other = hq_sample.callbacks
        callback.reached = other.reached = True
        callback.confirmed_closed = False
        callback.satisfaction = 'dissatisfied'
        other.confirmed_closed = True
        other.satisfaction = 'very_satisfied'
        Callback.save([callback, other])

        # The centre does not check itself
        with Transaction().set_user(people['manager'].id), \
                self.assertRaises(CallbackError):
            Callback.done([callback])

        with clock(self.CONTRADICTED_AT), Transaction().set_user(
                people['hugo'].id):
            Callback.done([callback, other])
        return callback, other

    @with_transaction()
    def test_contradicting_callback(self):
        "An owner who says otherwise at HQ reopens the request"
        company = create_company()
        with set_company(company):
            callback, other = self._contradict(company)
            self.assertEqual(callback.request.state, 'reopened')
            self.assertEqual(callback.request.escalation_level, 1)
            self.assertTrue(callback.contradicts)
            self.assertFalse(other.contradicts)
            self.assertEqual(other.request.state, 'closed')
            self.assertEqual(callback.sample.contradicted, 1)

    @with_transaction()
    def test_cross_check(self):
        "Another centre of the region calls back, and sees only those"
        pool = Pool()
        Center = pool.get('service_center.center')
        Region = pool.get('service_center.region')
        Request = pool.get('service_center.request')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        with set_company(company):
            requests, *_ = self._closed_month(company)
            region, = Region.search([])
            region.sample_mode = 'cross'
            region.save()
            caller, = User.create([{
                        'login': 'rita', 'name': "Rita",
                        'groups': [('add', [ModelData.get_id(
                                        'service_center',
                                        'group_receptionist')])],
                        }])
            other, = Center.create([{
                        'name': "Hill Centre", 'code': 'H',
                        'region': region.id,
                        'receptionists': [('create', [{
                                        'user': caller.id,
                                        'shift': 'morning'}])],
                        }])
            region_sample, _ = self._draw()
            self.assertEqual(
                {(c.mode, c.caller_center) for c in region_sample.callbacks},
                {('cross', other)})

            with Transaction().set_user(caller.id), \
                    Transaction().set_context(_check_access=True):
                seen = Request.search([])
            self.assertEqual(
                sorted(seen),
                sorted(c.request for c in region_sample.callbacks))
            self.assertLess(len(seen), len(requests))

    @with_transaction()
    def test_courtesy_calls(self):
        "A fifth of the owners each month, the uncalled ones first"
        pool = Pool()
        CourtesyCall = pool.get('service_center.courtesy_call')
        Unit = pool.get('service_center.unit')
        Party = pool.get('party.party')
        Ownership = pool.get('service_center.ownership')
        company = create_company()
        with set_company(company):
            _, units, owners, _ = self._register(company)
            more = Unit.create([{
                        'project': units[0].project.id,
                        'building': units[0].building.id,
                        'room': str(201 + i), 'code': '1-%s' % (201 + i)}
                    for i in range(20)])
            owners += Party.create([{'name': 'Owner %s' % (i + 5)}
                    for i in range(20)])
            Ownership.create([{
                        'unit': u.id, 'party': o.id, 'role': 'owner',
                        'start_date': dt.date(2025, 1, 1)}
                    for u, o in zip(more, owners[5:])])
            # A tenant is no owner
            Ownership.create([{
                        'unit': units[0].id, 'role': 'tenant',
                        'party': Party.create([{'name': "Tenant"}])[0].id,
                        'start_date': dt.date(2025, 1, 1)}])

            called = []
            for month in range(11, 16):
                date = dt.date(2026 + month // 13, (month - 1) % 12 + 1, 1)
                self.assertEqual(CourtesyCall.plan_monthly(date), 5)
                calls = CourtesyCall.search([('month', '=', date)])
                self.assertEqual(
                    {(c.state, c.center.code) for c in calls},
                    {('pending', 'C')})
                called.append({c.party for c in calls})
                # Planned once a month
                self.assertEqual(CourtesyCall.plan_monthly(date), 0)
            # Five months, five owners each, nobody twice
            self.assertEqual(set().union(*called), set(owners))

            call = calls[0]
            call.reached = True
            call.note = "Happy with the new lifts"
            call.save()
            CourtesyCall.done([call])
            self.assertEqual(call.state, 'done')
            self.assertEqual(call.done_by.id, Transaction().user)
