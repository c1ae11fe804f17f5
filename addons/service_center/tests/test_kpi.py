# This file is part of the coastal customer service project.
"""The centre's evaluation figures against the same figures counted by hand
from the recorded requests, deadlines and call-backs"""
import contextlib
import datetime as dt
from unittest import mock

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests import test_tryton
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .. import kpi
from ..work_order import SATISFIED
from .test_request import FRIDAY, RequestFixtures, clock

# The report looks at October 2026; FRIDAY is 9 October
OCTOBER = {
    'from_date': dt.date(2026, 10, 1),
    'to_date': dt.date(2026, 10, 31),
    }
LATER = FRIDAY + dt.timedelta(days=1)


@contextlib.contextmanager
def report_clock(moment):
    with clock(moment), mock.patch.object(kpi, 'now', lambda: moment):
        yield


class KPITestCase(RequestFixtures, test_tryton._DBTestCase):
    "Test the evaluation report"

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

        with report_clock(FRIDAY):
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
        with report_clock(FRIDAY - dt.timedelta(days=31)):
            self._request(units[4], owners[4])  # September
        with report_clock(FRIDAY + dt.timedelta(hours=2)):
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
        return figures

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
            with report_clock(at), Transaction().set_context(OCTOBER):
                row, = KPI.search([])
                expected = self._by_hand(requests, at)
            self.assertEqual(row.center, center)
            for name, value in expected.items():
                with self.subTest(name=name):
                    if isinstance(value, float):
                        self.assertAlmostEqual(getattr(row, name), value)
                    else:
                        self.assertEqual(getattr(row, name), value)
            # What the story above says, so the hand count is checked too
            self.assertEqual(row.requests, 4)
            self.assertEqual(row.one_call, 2)
            self.assertEqual(row.complaint, 1)
            self.assertEqual((row.callbacks, row.satisfied), (2, 1))
            self.assertEqual(row.reopened, 1)
            self.assertAlmostEqual(row.satisfaction_rate, 0.5)
            self.assertAlmostEqual(row.level4_rate, 0.25)
            self.assertAlmostEqual(row.ack_rate, 0.5)

            with report_clock(at), Transaction().set_context(
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
            'service_center.kpi.center.open_requests', type='wizard')
        company = create_company()
        with set_company(company):
            requests = self._month(company)
            with report_clock(LATER), Transaction().set_context(OCTOBER):
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
            with report_clock(FRIDAY):
                self._request(units[0], owners[0])
                self._request(unit, owner)
            home, = Center.search([('region.code', '=', 'DL')])

            with report_clock(LATER), Transaction().set_context(OCTOBER):
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
