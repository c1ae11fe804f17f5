# This file is part of the coastal customer service project.
"""The customer centre's clocks: deadlines, working time, escalation, the
same-problem alarm and the outbox, with a controlled clock"""
import datetime as dt
import threading
from zoneinfo import ZoneInfo

from property_register import clock as register_clock
from property_register.tests.tools import clock_at as clock

from trytond import backend
from trytond.model.exceptions import ValidationError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import DB_NAME, USER, with_transaction
from trytond.transaction import Transaction

from ..exceptions import RequestError

# A Friday, 10:00 in Shanghai
FRIDAY = dt.datetime(2026, 10, 9, 2, 0)




def shanghai(*args):
    "Return the naive UTC datetime of a Shanghai wall-clock time"
    return dt.datetime(*args) - dt.timedelta(hours=8)


class RequestFixtures:
    "The people, places and requests the tests work with"
    module = 'service_center'

    def _register(self, company):
        "Create the people, the place and an owner; return them"
        pool = Pool()
        User = pool.get('res.user')
        Region = pool.get('service_center.region')
        Project = pool.get('service_center.project')
        Building = pool.get('service_center.building')
        Unit = pool.get('service_center.unit')
        Party = pool.get('party.party')
        Ownership = pool.get('service_center.ownership')
        Center = pool.get('service_center.center')
        Department = pool.get('service_center.department')
        ModelData = pool.get('ir.model.data')

        def user(login, *groups):
            return User.create([{
                        'login': login, 'name': login.title(),
                        'email': '%s@example.com' % login,
                        'mobile': '+86138%08d' % (len(login) * 1000 + ord(
                                login[0])),
                        'groups': [('add', [ModelData.get_id(
                                        'service_center', g)
                                    for g in groups])],
                        }])[0]
        people = {
            'manager': user('manager', 'group_center_manager'),
            'eddie': user('eddie', 'group_responder'),
            'hank': user('hank', 'group_responder'),
            'dora': user('dora', 'group_leadership'),
            'lee': user('lee', 'group_leadership'),
            'hugo': user('hugo', 'group_hq'),
            }
        region, = Region.create([{
                    'name': "Dalian", 'code': 'DL', 'company': company.id,
                    'leader': people['lee'].id,
                    'deputy_managers': [('create', [{
                                    'category': 'construction_repair',
                                    'user': people['dora'].id}])],
                    }])
        project, = Project.create([{
                    'name': "Seaside", 'code': 'HY', 'region': region.id}])
        building, = Building.create([{'project': project.id, 'name': '1'}])
        units = Unit.create([{
                    'project': project.id, 'building': building.id,
                    'room': str(101 + i), 'code': '1-%s' % (101 + i),
                    'handover_date': dt.date(2025, 1, 1)}
                for i in range(5)])
        owners = Party.create([{'name': 'Owner %s' % i} for i in range(5)])
        Ownership.create([{
                    'unit': u.id, 'party': o.id, 'role': 'owner',
                    'start_date': dt.date(2025, 1, 1)}
                for u, o in zip(units, owners)])
        Center.create([{
                    'name': "Centre", 'code': 'C', 'region': region.id,
                    'manager': people['manager'].id,
                    'projects': [('add', [project.id])]}])
        department, = Department.create([{
                    'name': "Engineering", 'kind': 'engineering',
                    'region': region.id, 'responsible': people['eddie'].id,
                    'head': people['hank'].id}])
        return people, units, owners, department

    def _request(self, unit, owner, **values):
        Request = Pool().get('service_center.request')
        values.setdefault('kind', 'repair')
        values.setdefault('category', 'construction_repair')
        request, = Request.create([{
                    'unit': unit.id, 'project': unit.project.id,
                    'party': owner.id, 'description': "Leak",
                    'received_at': register_clock.now(), **values}])
        Request.register([request])
        return request

    def _levels(self, request):
        Escalation = Pool().get('service_center.escalation')
        return [(e.from_level, e.to_level, e.reason, e.notified)
            for e in Escalation.search(
                [('request', '=', request.id)], order=[('id', 'ASC')])]


class RequestTestCase(RequestFixtures, test_tryton._DBTestCase):
    "Test the request engine"

    @with_transaction()
    def test_invisible_characters_removed(self):
        "The desk's texts lose the characters that disguise them"
        pool = Pool()
        company = create_company()
        with set_company(company):
            people, units, owners, department = self._register(company)
            with clock(FRIDAY):
                request = self._request(
                    units[0], owners[0],
                    description="Leak\u202e\u200b in the\r\nkitchen\x00")
            self.assertEqual(request.description, "Leak in the\nkitchen")
            Request = pool.get('service_center.request')
            Request.write([request], {'location': "Bath\u2066room\ufeff"})
            self.assertEqual(request.location, "Bathroom")

    @with_transaction()
    def test_scope_follows_register(self):
        "Naming a regional deputy or moving a project changes scopes at once"
        pool = Pool()
        User = pool.get('res.user')
        Region = pool.get('service_center.region')
        Project = pool.get('service_center.project')
        Deputy = pool.get('service_center.region.deputy')
        company = create_company()
        with set_company(company):
            people, units, owners, department = self._register(company)
            project, = Project.search([('code', '=', 'HY')])
            nina, = User.create([{'login': 'nina', 'name': "Nina"}])
            self.assertEqual(User.get_service_scope(nina.id)['projects'], [])

            deputy, = Deputy.create([{
                        'region': project.region.id, 'user': nina.id,
                        'category': 'property_service'}])
            self.assertEqual(
                User.get_service_scope(nina.id)['projects'], [project.id])

            other, = Region.create([{
                        'name': "Shenyang", 'code': 'SY',
                        'company': company.id}])
            Project.write([project], {'region': other.id})
            self.assertEqual(User.get_service_scope(nina.id)['projects'], [])

            Region.write([other], {'leader': nina.id})
            self.assertEqual(
                User.get_service_scope(nina.id)['projects'], [project.id])

            Deputy.delete([deputy])
            Region.write([other], {'leader': None})
            self.assertEqual(User.get_service_scope(nina.id)['projects'], [])

    @with_transaction()
    def test_escalation_ladder(self):
        "Each breach raises one level, once, and tells the next person up"
        pool = Pool()
        Escalation = pool.get('service_center.escalation')
        Request = pool.get('service_center.request')
        WorkOrder = pool.get('service_center.work_order')
        Notification = pool.get('service_center.notification')
        company = create_company()
        with set_company(company):
            people, units, owners, department = self._register(company)
            with clock(FRIDAY):
                request = self._request(units[0], owners[0])

            # Not dispatched within 10 minutes: the centre manager hears
            with clock(FRIDAY + dt.timedelta(minutes=11)):
                self.assertEqual(Escalation.sweep(), 1)
                self.assertEqual(Escalation.sweep(), 0)
            request = Request(request.id)
            self.assertEqual(request.escalation_level, 1)
            self.assertEqual(
                self._levels(request), [('0', '1', 'deadline', 'Manager')])
            sent = Notification.search([
                    ('origin', '=', str(request)),
                    ('user', '=', people['manager'].id)])
            self.assertEqual(
                sorted(n.channel for n in sent), ['email', 'sms'])

            # Dispatched late, acknowledged in time, owner not contacted
            with clock(FRIDAY + dt.timedelta(minutes=12)):
                order, = WorkOrder.create([{
                            'request': request.id,
                            'department': department.id,
                            'responsible': people['eddie'].id}])
                Request.dispatch([request])
            with clock(FRIDAY + dt.timedelta(minutes=15)):
                WorkOrder.acknowledge([order])
            with clock(FRIDAY + dt.timedelta(minutes=21)):
                self.assertEqual(Escalation.sweep(), 0)
            with clock(FRIDAY + dt.timedelta(minutes=23)):
                self.assertEqual(Escalation.sweep(), 1)
                self.assertEqual(Escalation.sweep(), 0)
            self.assertEqual(
                self._levels(request)[-1], ('1', '2', 'deadline', 'Dora'))

            # Nobody on site within 24 hours: the regional GM
            with clock(FRIDAY + dt.timedelta(hours=25)):
                self.assertEqual(Escalation.sweep(), 1)
            self.assertEqual(
                self._levels(request)[-1], ('2', '3', 'deadline', 'Lee'))

            # Unresolved after 7 days: group HQ, and nothing above it
            with clock(FRIDAY + dt.timedelta(days=8)):
                self.assertEqual(Escalation.sweep(), 1)
            self.assertEqual(
                self._levels(request)[-1], ('3', '4', 'deadline', 'Hugo'))
            self.assertEqual(Request(request.id).escalation_level, 4)

    @with_transaction()
    def test_claim_writes_as_orm(self):
        "The sweep marks a breach as the ORM's write of its state would"
        pool = Pool()
        Deadline = pool.get('service_center.request.deadline')
        Escalation = pool.get('service_center.escalation')
        company = create_company()
        with set_company(company):
            people, units, owners, department = self._register(company)
            with clock(FRIDAY):
                claimed = self._request(units[0], owners[0])
                written = self._request(units[1], owners[1])
            at = FRIDAY + dt.timedelta(minutes=11)
            ack, = Deadline.search([
                    ('request', '=', written.id), ('target', '=', 'ack')])
            Deadline.write([ack], {'state': 'breached', 'breached_at': at})
            with clock(at):
                self.assertEqual(Escalation._claim_breaches(at), [(
                            d.id, claimed.id, None, 'ack')
                        for d in Deadline.search([
                                ('request', '=', claimed.id),
                                ('target', '=', 'ack')])])

        table = Deadline.__table__()
        cursor = Transaction().connection.cursor()

        def row(request):
            cursor.execute(*table.select(
                    where=(table.request == request.id)
                    & (table.target == 'ack')))
            columns = [d[0] for d in cursor.description]
            values = dict(zip(columns, cursor.fetchone()))
            for name in ['id', 'request', 'create_date', 'write_date']:
                # The same kind of value: the time of the write
                self.assertIsNotNone(values.pop(name), name)
            return values
        self.assertEqual(row(claimed), row(written))
        self.assertEqual(row(claimed)['state'], 'breached')

    @with_transaction()
    def test_missed_visit(self):
        "A visit agreed and missed escalates as a missed visit"
        pool = Pool()
        Escalation = pool.get('service_center.escalation')
        Request = pool.get('service_center.request')
        WorkOrder = pool.get('service_center.work_order')
        company = create_company()
        with set_company(company):
            people, units, owners, department = self._register(company)
            with clock(FRIDAY):
                request = self._request(units[0], owners[0])
                order, = WorkOrder.create([{
                            'request': request.id,
                            'department': department.id,
                            'responsible': people['eddie'].id}])
                Request.dispatch([request])
                WorkOrder.acknowledge([order])
                order.visit_planned_at = FRIDAY + dt.timedelta(hours=2)
                order.save()
                WorkOrder.plan([order])
            with clock(FRIDAY + dt.timedelta(hours=3)):
                self.assertEqual(Escalation.sweep(), 1)
            self.assertEqual(
                self._levels(request), [('0', '1', 'missed_visit', 'Hank')])

    @with_transaction()
    def test_working_time(self):
        """Working-time targets skip nights, weekends and public holidays,
        and count make-up working days"""
        pool = Pool()
        Calendar = pool.get('service_center.calendar')
        ModelData = pool.get('ir.model.data')
        office = Calendar(
            ModelData.get_id('service_center', 'calendar_office'))
        ten = dt.timedelta(minutes=10)
        # Monday 10:00 → 10:10
        self.assertEqual(
            office.add(shanghai(2026, 10, 12, 10, 0), ten),
            shanghai(2026, 10, 12, 10, 10))
        # Across lunch: 11:55 → 13:35
        self.assertEqual(
            office.add(shanghai(2026, 10, 12, 11, 55), ten),
            shanghai(2026, 10, 12, 13, 35))
        # Friday 17:55 → Monday 8:35
        self.assertEqual(
            office.add(shanghai(2026, 10, 16, 17, 55), ten),
            shanghai(2026, 10, 19, 8, 35))
        # Received on a Sunday night → Monday 8:40
        self.assertEqual(
            office.add(shanghai(2026, 10, 18, 22, 0), ten),
            shanghai(2026, 10, 19, 8, 40))

        Calendar.write([office], {'days': [('create', [{
                            'date': dt.date(2026, 10, 19), 'kind': 'holiday',
                            'name': "Holiday"}, {
                            'date': dt.date(2026, 10, 17), 'kind': 'workday',
                            'hours_of': '0'}])]})
        office = Calendar(office.id)
        # The Saturday is worked (调休), the Monday is a holiday
        self.assertEqual(
            office.add(shanghai(2026, 10, 16, 17, 55), ten),
            shanghai(2026, 10, 17, 8, 35))
        self.assertEqual(
            office.add(shanghai(2026, 10, 17, 18, 0), ten),
            shanghai(2026, 10, 20, 8, 40))
        # 16 working hours from Friday 9:00 = two working days
        self.assertEqual(
            office.add(shanghai(2026, 10, 16, 9, 0), dt.timedelta(hours=16)),
            shanghai(2026, 10, 20, 9, 0))

    @with_transaction()
    def test_working_time_deadline(self):
        "A working-time SLA sets the deadline of a request in office hours"
        pool = Pool()
        SLA = pool.get('service_center.sla')
        Deadline = pool.get('service_center.request.deadline')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        with set_company(company):
            people, units, owners, department = self._register(company)
            sla = SLA(ModelData.get_id('service_center', 'sla_standard'))
            sla.ack_working = True
            sla.save()
            with clock(shanghai(2026, 10, 16, 17, 55)):
                request = self._request(units[0], owners[0])
            ack, = Deadline.search([
                    ('request', '=', request.id), ('target', '=', 'ack')])
            self.assertEqual(ack.due_at, shanghai(2026, 10, 19, 8, 35))
            resolution, = Deadline.search([
                    ('request', '=', request.id),
                    ('target', '=', 'resolution')])
            self.assertEqual(
                resolution.due_at,
                shanghai(2026, 10, 16, 17, 55) + dt.timedelta(days=7))

    @with_transaction()
    def test_registration_follows_changes(self):
        "A new agreement or a project handed to another centre counts at once"
        pool = Pool()
        SLA = pool.get('service_center.sla')
        Center = pool.get('service_center.center')
        company = create_company()
        with set_company(company):
            people, units, owners, department = self._register(company)
            first, = Center.search([])
            with clock(FRIDAY):
                before = self._request(units[0], owners[0])
            self.assertEqual(before.sla.name, "Standard")
            self.assertEqual(before.center, first)

            urgent, = SLA.create([{
                        'name': "Repairs", 'sequence': 0, 'kind': 'repair',
                        'ack_delay': dt.timedelta(minutes=5)}])
            project = units[0].project
            Center.write([first], {'projects': [('remove', [project.id])]})
            second, = Center.create([{
                        'name': "New Centre", 'code': 'C2',
                        'region': project.region.id,
                        'manager': people['manager'].id,
                        'projects': [('add', [project.id])]}])
            with clock(FRIDAY):
                after = self._request(units[1], owners[1])
            self.assertEqual(after.sla, urgent)
            self.assertEqual(after.center, second)
            ack, = [d for d in after.deadlines if d.target == 'ack']
            self.assertEqual(ack.due_at, FRIDAY + dt.timedelta(minutes=5))

            SLA.write([urgent], {'ack_delay': dt.timedelta(minutes=7)})
            with clock(FRIDAY):
                changed = self._request(units[2], owners[2])
            ack, = [d for d in changed.deadlines if d.target == 'ack']
            self.assertEqual(ack.due_at, FRIDAY + dt.timedelta(minutes=7))

    @with_transaction()
    def test_received_day_and_number(self):
        """A request created without its time is received now; its number
        carries the year of the day it was received in Shanghai"""
        pool = Pool()
        Request = pool.get('service_center.request')
        company = create_company()
        company.timezone = 'Asia/Shanghai'
        company.save()
        with set_company(company):
            people, units, owners, department = self._register(company)
            # 23:30 on New Year's Eve in Shanghai, registered after midnight
            eve = shanghai(2026, 12, 31, 23, 30)
            with clock(eve):
                late, = Request.create([{
                            'kind': 'repair',
                            'category': 'construction_repair',
                            'unit': units[0].id,
                            'project': units[0].project.id,
                            'party': owners[0].id, 'description': "Leak",
                            }])
            self.assertEqual(late.received_at, eve)
            self.assertEqual(late.received_date, dt.date(2026, 12, 31))
            with clock(eve + dt.timedelta(hours=1)):
                Request.register([late])
                early = self._request(units[1], owners[1])
            self.assertTrue(late.number.startswith('KF2026-'), late.number)
            self.assertEqual(early.received_date, dt.date(2027, 1, 1))
            self.assertTrue(early.number.startswith('KF2027-'), early.number)

    @with_transaction()
    def test_company_time_zone_change(self):
        "The days follow the company's time zone as soon as it changes"
        pool = Pool()
        Date = pool.get('ir.date')
        Request = pool.get('service_center.request')
        company = create_company()
        company.timezone = 'Pacific/Kiritimati'  # UTC+14
        company.save()
        with set_company(company):
            people, units, owners, department = self._register(company)
            # Noon UTC: 2:00 on New Year's Day at UTC+14, 1:00 on New
            # Year's Eve at UTC-11
            values = {
                'kind': 'enquiry', 'category': 'property_service',
                'unit': units[0].id, 'project': units[0].project.id,
                'party': owners[0].id, 'description': "When?",
                'received_at': dt.datetime(2026, 12, 31, 12),
                }
            east, = Request.create([values])
            self.assertEqual(east.received_date, dt.date(2027, 1, 1))
            self.assertEqual(Date.today(), dt.datetime.now(
                    ZoneInfo('Pacific/Kiritimati')).date())

            company.timezone = 'Pacific/Pago_Pago'  # UTC-11
            company.save()
            west, = Request.create([values])
            self.assertEqual(west.received_date, dt.date(2026, 12, 31))
            self.assertEqual(Date.today(), dt.datetime.now(
                    ZoneInfo('Pacific/Pago_Pago')).date())

    @with_transaction()
    def test_receipt_to_first_mobile(self):
        "The receipt goes to the owner's first active mobile, or nowhere"
        pool = Pool()
        ContactMechanism = pool.get('party.contact_mechanism')
        Notification = pool.get('service_center.notification')
        company = create_company()
        with set_company(company):
            people, units, owners, department = self._register(company)
            ContactMechanism.create([{
                        'party': owners[0].id, 'type': 'mobile',
                        'value': '13800000001', 'sequence': 1,
                        'active': False,
                        }, {
                        'party': owners[0].id, 'type': 'email',
                        'value': 'owner0@example.com', 'sequence': 1,
                        }, {
                        'party': owners[0].id, 'type': 'mobile',
                        'value': '13800000003', 'sequence': 3,
                        }, {
                        'party': owners[0].id, 'type': 'mobile',
                        'value': '138 0000 0002', 'sequence': 2,
                        }])
            with clock(FRIDAY):
                reached = self._request(units[0], owners[0])
                unreached = self._request(units[1], owners[1])

            receipt, = Notification.search(
                [('origin', '=', str(reached))])
            self.assertEqual(receipt.channel, 'sms')
            self.assertEqual(receipt.party, owners[0])
            self.assertEqual(receipt.address, '+8613800000002')
            self.assertIn(reached.number, receipt.body)
            self.assertFalse(Notification.search(
                    [('origin', '=', str(unreached))]))

    @with_transaction()
    def test_same_problem_alarm(self):
        "The third owner opens one alarm; the fourth attaches to it"
        pool = Pool()
        Alarm = pool.get('service_center.alarm')
        Notification = pool.get('service_center.notification')
        company = create_company()
        with set_company(company):
            people, units, owners, department = self._register(company)
            with clock(FRIDAY):
                first = self._request(units[0], owners[0])
                again = self._request(units[0], owners[0])
                self._request(units[1], owners[1])
                other = self._request(
                    units[2], owners[2], category='property_service')
                self.assertEqual(Alarm.search([]), [])
            with clock(FRIDAY + dt.timedelta(days=3)):
                third = self._request(units[2], owners[2])
            alarm, = Alarm.search([])
            self.assertEqual(alarm.owner_count, 3)
            self.assertEqual(len(alarm.requests), 4)
            self.assertIn(first, alarm.requests)
            self.assertIn(again, alarm.requests)
            self.assertNotIn(other, alarm.requests)
            self.assertIn(third, alarm.requests)
            self.assertEqual(
                len(Notification.search([
                            ('origin', '=', str(alarm)),
                            ('user', '=', people['lee'].id)])), 2)
            with clock(FRIDAY + dt.timedelta(days=5)):
                fourth = self._request(units[3], owners[3])
                Alarm.check_all()
            self.assertEqual(len(Alarm.search([])), 1)
            self.assertEqual(fourth.alarm, alarm)

    @with_transaction()
    def test_alarm_out_of_period(self):
        "Requests older than a month do not count"
        Alarm = Pool().get('service_center.alarm')
        company = create_company()
        with set_company(company):
            people, units, owners, department = self._register(company)
            with clock(FRIDAY):
                self._request(units[0], owners[0])
                self._request(units[1], owners[1])
            with clock(FRIDAY + dt.timedelta(days=31)):
                self._request(units[2], owners[2])
            self.assertEqual(Alarm.search([]), [])

    @with_transaction()
    def test_alarm_closes_with_decision(self):
        "An alarm closes only with a decision and a policy"
        pool = Pool()
        Alarm = pool.get('service_center.alarm')
        company = create_company()
        with set_company(company):
            people, units, owners, department = self._register(company)
            with clock(FRIDAY):
                for i in range(3):
                    self._request(units[i], owners[i])
            alarm, = Alarm.search([])
            with self.assertRaises(ValidationError):
                Alarm.hold_meeting([alarm])
            alarm.meeting_date = FRIDAY + dt.timedelta(days=1)
            alarm.participants = [people['lee'], people['dora']]
            alarm.save()
            Alarm.hold_meeting([alarm])
            with self.assertRaises(ValidationError):
                Alarm.decide([alarm])
            alarm.decision = "Replace the risers of building 1."
            alarm.save()
            Alarm.decide([alarm])
            with self.assertRaises(ValidationError):
                Alarm.close([alarm])
            alarm.policy = "Pressure-test risers before handover."
            alarm.save()
            Alarm.close([alarm])
            self.assertEqual(alarm.state, 'closed')

    @with_transaction()
    def test_unknown_phone(self):
        "A number nobody has is refused at registration, clearly"
        pool = Pool()
        Request = pool.get('service_center.request')
        company = create_company()
        with set_company(company):
            people, units, owners, department = self._register(company)
            request, = Request.create([{
                        'kind': 'enquiry', 'category': 'property_service',
                        'unit': units[0].id, 'project': units[0].project.id,
                        'caller_phone': '+8613999999999',
                        'description': "?"}])
            with self.assertRaises(RequestError) as cm:
                Request.register([request])
            self.assertIn('+8613999999999', cm.exception.message)

    @with_transaction()
    def test_unreachable_escalates(self):
        "Three calls that do not reach the owner escalate the request"
        pool = Pool()
        Request = pool.get('service_center.request')
        Callback = pool.get('service_center.callback')
        company = create_company()
        with set_company(company):
            people, units, owners, department = self._register(company)
            with clock(FRIDAY):
                request = self._request(
                    units[0], owners[0], kind='enquiry',
                    category='property_service', answer="Tomorrow")
                Request.resolve_on_spot([request])
            callback, = Request(request.id).callbacks
            Callback.unreachable([callback])
            Callback.unreachable([callback])
            self.assertEqual(Request(request.id).escalation_level, 0)
            Callback.unreachable([callback])
            self.assertEqual(
                self._levels(request), [('0', '1', 'unreachable', 'Manager')])


class TwoWorkersTestCase(RequestFixtures, test_tryton._DBTestCase):
    "Test escalation runs that overlap; commits, so in its own database"

    def test_two_cron_workers(self):
        "Two escalation runs at once never escalate the same breach twice"
        with Transaction().start(DB_NAME, USER, context={}) as transaction:
            pool = Pool()
            company = create_company()
            with set_company(company):
                people, units, owners, department = self._register(company)
                with clock(FRIDAY):
                    requests = [self._request(u, o)
                        for u, o in zip(units, owners)]
            ids = [r.id for r in requests]
            transaction.commit()
        counts = []

        def worker(barrier):
            try:
                with Transaction().start(DB_NAME, USER, context={}) as t:
                    Escalation = Pool().get('service_center.escalation')
                    barrier.wait()
                    count = Escalation.sweep()
                    t.commit()
                counts.append(count)
            except backend.DatabaseOperationalError:
                # PostgreSQL refuses the second writer of the same rows
                # (repeatable read): it is rolled back and retried later
                counts.append('rolled back')

        # The clock is a module attribute the threads share: set once
        # around both workers.  Patched in each thread, the one that leaves
        # last would put back the other's frozen clock, for every later test
        # of the process
        with clock(FRIDAY + dt.timedelta(minutes=11)):
            if backend.name == 'sqlite':
                # An in-memory database lives in one thread: run one after
                # the other, as a second cron run does
                barrier = threading.Barrier(1)
                worker(barrier)
                worker(barrier)
            else:
                barrier = threading.Barrier(2)
                threads = [threading.Thread(target=worker, args=(barrier,))
                    for _ in range(2)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
        self.assertIn(len(ids), counts)
        counts.remove(len(ids))
        self.assertIn(counts, [[0], ['rolled back']])
        with Transaction().start(DB_NAME, USER, context={}):
            pool = Pool()
            Request = pool.get('service_center.request')
            Escalation = pool.get('service_center.escalation')
            self.assertEqual(
                {r.escalation_level for r in Request.browse(ids)}, {1})
            self.assertEqual(
                len(Escalation.search([('request', 'in', ids)])), len(ids))
