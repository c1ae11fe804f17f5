# This file is part of the coastal customer service project.
"""The portal's endpoints through trytond's WSGI application, as the
owners' phones call them"""
import base64
import datetime as dt
import io
import json
import re
from unittest import mock

from PIL import Image, ImageDraw

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

from .. import user as user_module
from ..api import CSRF_HEADER

LOGIN_DELAY = user_module.login_delay

PASSWORD = 'harbour-view-7'
# Owner A and owner B, as they type their numbers
MOBILE_A, MOBILE_B = '139 1234 5670', '+86 139-1234-5671'


class OwnerPortalTestCase(test_tryton.ModuleTestCase):
    "Test the owner portal module"
    module = 'owner_portal'


class PortalFixtures:
    "Two owners of a project, with their web users, and a department"
    module = 'owner_portal'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        Region = pool.get('service_center.region')
        Project = pool.get('service_center.project')
        Building = pool.get('service_center.building')
        Unit = pool.get('service_center.unit')
        Party = pool.get('party.party')
        Ownership = pool.get('service_center.ownership')
        Center = pool.get('service_center.center')
        WebUser = pool.get('web.user')
        User = pool.get('res.user')
        Department = pool.get('service_center.department')
        company = create_company()
        with set_company(company):
            region, = Region.create([{
                        'name': "Dalian", 'code': 'DL',
                        'company': company.id}])
            project, = Project.create([{
                        'name': "Seaside", 'code': 'HY',
                        'region': region.id}])
            building, = Building.create([{
                        'project': project.id, 'name': '1'}])
            units = Unit.create([{
                        'project': project.id, 'building': building.id,
                        'room': str(101 + i), 'code': '1-%s' % (101 + i),
                        'handover_date': dt.date(2025, 1, 1)}
                    for i in range(2)])
            owners = Party.create([{
                        'name': name,
                        'contact_mechanisms': [('create', [{
                                        'type': 'mobile', 'value': mobile}])],
                        } for name, mobile in [
                        ("Owner A", MOBILE_A), ("Owner B", MOBILE_B)]])
            Ownership.create([{
                        'unit': u.id, 'party': o.id, 'role': 'owner',
                        'start_date': dt.date(2025, 1, 1)}
                    for u, o in zip(units, owners)])
            Center.create([{
                        'name': "Centre", 'code': 'C', 'region': region.id,
                        'projects': [('add', [project.id])]}])
            WebUser.create([{
                        'party': o.id, 'mobile': m, 'password': PASSWORD}
                    for o, m in zip(owners, [MOBILE_A, MOBILE_B])])
            eddie, = User.create([{
                        'login': 'eddie', 'name': "Eddie",
                        'email': 'eddie@example.com',
                        'mobile': '+8613800138002'}])
            Department.create([{
                        'name': "Engineering", 'kind': 'engineering',
                        'region': region.id, 'responsible': eddie.id}])

    def setUp(self):
        super().setUp()
        # Failed logins are slowed down by sleeping: not in the tests
        patcher = mock.patch.object(user_module, 'login_delay', lambda c: 0)
        patcher.start()
        self.addCleanup(patcher.stop)
        # Each test starts with no failed login on record
        with Transaction().start(DB_NAME, 0):
            Attempt = Pool().get('web.user.authenticate.attempt')
            Attempt.delete(Attempt.search([]))

    def url(self, path):
        return '/%s/portal/api/%s' % (self.db_name, path)

    def login(self, client, login=MOBILE_A, password=PASSWORD):
        "Log in; return the answer and the CSRF header of the session"
        response = client.post(self.url('login'), json={
                'login': login, 'password': password})
        token = response.json.get('csrf_token', '') if response.json else ''
        return response, {CSRF_HEADER: token}

    def send(self, client, method, path, data, headers):
        return client.open(
            self.url(path), method=method, data=json.dumps(data),
            content_type='application/json', headers=headers)


    def _unit_id(self, mobile):
        with Transaction().start(DB_NAME, 0):
            Party = Pool().get('party.party')
            _, (party,) = Party.search_by_phone(mobile)
            unit, = party.units
            return unit.id


class PortalRouteTestCase(PortalFixtures, test_tryton.RouteTestCase):
    "Test the portal's endpoints"

    def test_login_by_mobile_in_any_format(self):
        "An owner logs in with the number as she types it, and out"
        client = self.client()
        self.assertEqual(client.get(self.url('me')).status_code, 401)
        response, _ = self.login(client, '+8613912345670')
        self.assertEqual(response.status_code, 200)
        response, headers = self.login(client, '139-1234-5670')
        self.assertEqual(response.json['name'], "Owner A")
        cookie = response.headers['Set-Cookie']
        for flag in ['HttpOnly', 'SameSite=Strict',
                'Path=/%s/portal/' % self.db_name]:
            self.assertIn(flag, cookie)
        self.assertEqual(client.get(self.url('me')).json['name'], "Owner A")

        response = self.send(client, 'POST', 'logout', {}, headers)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(client.get(self.url('me')).status_code, 401)

    def test_wrong_password_then_blocked(self):
        "Failures are refused, then the login is blocked for a while"
        client = self.client()
        answers = [self.login(client, MOBILE_B, 'wrong')[0].status_code
            for _ in range(8)]
        self.assertEqual(answers[:6], [401] * 6)
        self.assertEqual(answers[6:], [429, 429])
        # Blocked even with the right password, with a clear message
        response, _ = self.login(client, MOBILE_B)
        self.assertEqual(response.status_code, 429)
        self.assertIn('error', response.json)
        # Owner A's number is not blocked by B's failures
        self.assertEqual(self.login(client)[0].status_code, 200)

    def test_slowed_down(self):
        "Each failure makes the next answer wait longer"
        delays = []
        with mock.patch.object(user_module, 'login_delay',
                lambda count: delays.append(count) or 0):
            client = self.client()
            for _ in range(3):
                self.login(client, '139 1234 5670', 'wrong')
        self.assertEqual(delays, [0, 1, 2])

    def test_delay_doubles(self):
        "The wait doubles with each failure"
        self.assertEqual(
            [LOGIN_DELAY(c) for c in range(5)], [0, 1, 3, 7, 15])

    def test_state_changes_need_the_csrf_token(self):
        "Without the page's token, nothing is changed"
        client = self.client()
        self.login(client)
        before = client.get(self.url('requests')).json
        request = {
            'unit': self._unit_id(MOBILE_A), 'kind': 'repair',
            'category': 'construction_repair', 'description': "Leak"}
        for headers in [{}, {CSRF_HEADER: 'forged'}]:
            response = self.send(client, 'POST', 'requests', request, headers)
            self.assertEqual(response.status_code, 403)
        self.assertEqual(client.get(self.url('requests')).json, before)

    def test_submit_as_at_the_desk(self):
        """A request from the portal gets the deadlines, receipt and
        escalation of one registered at the desk"""
        client = self.client()
        _, headers = self.login(client)
        unit_id = self._unit_id(MOBILE_A)
        response = self.send(client, 'POST', 'requests', {
                'unit': unit_id, 'kind': 'complaint',
                'category': 'construction_repair',
                'description': "Water comes through the ceiling"}, headers)
        self.assertEqual(response.status_code, 200, response.json)
        self.assertRegex(response.json['number'], r'^KF\d{4}-\d{6}$')
        portal_id = response.json['id']

        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Request = pool.get('service_center.request')
            Notification = pool.get('service_center.notification')
            Unit = pool.get('service_center.unit')
            ModelData = pool.get('ir.model.data')
            portal = Request(portal_id)
            unit = Unit(unit_id)
            desk, = Request.create([{
                        'unit': unit.id, 'project': unit.project.id,
                        'party': portal.party.id, 'kind': 'complaint',
                        'category': 'construction_repair',
                        'description': "Water comes through the ceiling",
                        'received_at': portal.received_at}])
            Request.register([desk])

            def facts(request):
                return {
                    'state': request.state,
                    'sla': request.sla,
                    'center': request.center,
                    'escalation_level': request.escalation_level,
                    'deadlines': sorted(
                        (d.target, d.due_at - d.started_at)
                        for d in request.deadlines),
                    'receipts': len(Notification.search([
                                ('origin', '=', str(request))])),
                    }
            self.assertEqual(facts(portal), facts(desk))
            self.assertEqual(portal.channel, 'portal')
            self.assertEqual(portal.received_by.id, ModelData.get_id(
                    'owner_portal', 'user_portal'))
            self.assertEqual(facts(portal)['receipts'], 1)
            self.assertTrue(facts(portal)['deadlines'])
            transaction.rollback()

    def test_owner_b_never_sees_owner_a(self):
        "Whatever ids owner B sends, owner A's data stays out of reach"
        client_a, client_b = self.client(), self.client()
        _, headers_a = self.login(client_a)
        unit_a = self._unit_id(MOBILE_A)
        created = self.send(client_a, 'POST', 'requests', {
                'unit': unit_a, 'kind': 'repair',
                'category': 'construction_repair',
                'description': "Secret of A: the safe behind the mirror"},
            headers_a).json
        secret = "safe behind the mirror"

        _, headers_b = self.login(client_b, MOBILE_B)
        attempts = [
            ('GET', 'requests/%s' % created['id'], None),
            ('GET', 'requests/%s' % created['number'], None),
            ('POST', 'requests', {
                    'unit': unit_a, 'kind': 'repair',
                    'category': 'construction_repair',
                    'description': "On A's unit"}),
            ('POST', 'requests', {
                    'unit': str(unit_a), 'kind': 'repair',
                    'category': 'construction_repair',
                    'description': "On A's unit"}),
            ]
        refused = 0
        for method, path, data in attempts:
            if method == 'GET':
                response = client_b.get(self.url(path))
            else:
                response = self.send(client_b, method, path, data, headers_b)
            with self.subTest(method=method, path=path):
                self.assertIn(response.status_code, {400, 403, 404})
                self.assertNotIn(secret, response.get_data(as_text=True))
                refused += 1
        self.assertEqual(refused, len(attempts))
        for path in ['requests', 'units', 'me', 'choices']:
            body = client_b.get(self.url(path)).get_data(as_text=True)
            with self.subTest(path=path):
                self.assertNotIn(secret, body)
                self.assertNotIn('Owner A', body)
                self.assertNotIn('1-101', body)
        # B's session with A's page token is refused
        response = self.send(client_b, 'POST', 'requests', {}, headers_a)
        self.assertEqual(response.status_code, 403)

    def test_bad_input_is_a_clear_error(self):
        "Bad input is answered with a message, never a server error"
        client = self.client()
        _, headers = self.login(client)
        unit = self._unit_id(MOBILE_A)
        base = {'unit': unit, 'kind': 'repair',
            'category': 'construction_repair', 'description': "Leak"}
        cases = [
            {**base, 'kind': 'wish'},
            {**base, 'category': ['construction_repair']},
            {**base, 'description': ''},
            {**base, 'description': 'x' * 5000},
            {**base, 'description': 42},
            {**base, 'unit': 'abc'},
            {**base, 'unit': 10 ** 30},
            {**base, 'unit': None},  # no unit: the place is needed
            ]
        for data in cases:
            response = self.send(client, 'POST', 'requests', data, headers)
            with self.subTest(data=str(data)[:80]):
                # An unknown home is not found, the rest is refused
                self.assertIn(response.status_code, {400, 404})
                self.assertTrue(response.json['error'])
        response = client.open(self.url('requests'), method='POST',
            data='{"unit": ', content_type='application/json',
            headers=headers)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(client.get(self.url('nothing/here')).status_code,
            404)

    def test_markup_is_refused(self):
        "Owners write plain text: tags are refused, never stored"
        client = self.client()
        _, headers = self.login(client)
        before = client.get(self.url('requests')).json
        for text in ['<script>alert("x")</script>', 'Leak <img src=x>',
                '&lt;b&gt;', '< /b>']:
            response = self.send(client, 'POST', 'requests', {
                    'unit': None, 'project': self._project_id(),
                    'kind': 'repair', 'category': 'common_upkeep',
                    'location': "Lift hall", 'description': text}, headers)
            with self.subTest(text=text):
                self.assertEqual(response.status_code, 400)
                self.assertEqual(
                    response.headers['Content-Type'],
                    'application/json; charset=utf-8')
        self.assertEqual(client.get(self.url('requests')).json, before)
        # Comparisons are plain text
        response = self.send(client, 'POST', 'requests', {
                'unit': None, 'project': self._project_id(),
                'kind': 'suggestion', 'category': 'opinion',
                'location': "Gate", 'description': "Lights on <3 minutes"},
            headers)
        self.assertEqual(response.status_code, 200, response.json)

    def _project_id(self):
        with Transaction().start(DB_NAME, 0):
            Project = Pool().get('service_center.project')
            project, = Project.search([])
            return project.id

    def test_profile_phone_normalised(self):
        "A changed mobile is kept in international form and logs in"
        client = self.client()
        _, headers = self.login(client)
        self.addCleanup(self._restore_owner_a)
        response = self.send(client, 'PUT', 'me', {
                'mobile': '(139) 1234-5679', 'language': 'en'}, headers)
        self.assertEqual(response.status_code, 200, response.json)
        self.assertEqual(response.json['mobile'], '+86 139 1234 5679')
        self.assertEqual(response.json['language'], 'en')
        self.send(client, 'POST', 'logout', {}, headers)
        self.assertEqual(self.login(client, '13912345679')[0].status_code, 200)
        self.assertEqual(self.login(client, MOBILE_A)[0].status_code, 401)
        _, headers = self.login(client, '13912345679')
        response = self.send(client, 'PUT', 'me', {'mobile': '12'}, headers)
        self.assertEqual(response.status_code, 400)

    def test_forgot_is_limited(self):
        """A reset link is sent once per interval, and asking again and
        again is blocked like failed logins"""
        client = self.client()
        for _ in range(3):
            response = self.send(client, 'POST', 'forgot',
                {'login': MOBILE_B}, {})
            self.assertEqual(response.status_code, 200)
        # The same answer for nobody
        response = self.send(client, 'POST', 'forgot',
            {'login': '139 0000 0000'}, {})
        self.assertEqual(response.status_code, 200)
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Notification = pool.get('service_center.notification')
            WebUser = pool.get('web.user')
            user = WebUser.find_login(WebUser.login_key(MOBILE_B))
            sent = Notification.search([('origin', '=', str(user))])
            self.assertEqual(len(sent), 1)
            self.assertEqual(sent[0].channel, 'sms')
        answers = [self.send(client, 'POST', 'forgot',
                {'login': MOBILE_B}, {}).status_code for _ in range(4)]
        self.assertEqual(answers[-1], 429)

    def _restore_owner_a(self):
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            WebUser = pool.get('web.user')
            user, = WebUser.search([('party.name', '=', "Owner A")])
            mobile = user.party.contact_mechanism_get('mobile')
            mobile.value = MOBILE_A
            mobile.save()
            user.party.lang = None
            user.party.save()
            user.mobile = MOBILE_A
            user.save()

    def test_invitation(self):
        "The centre invites an owner; the link sets the password"
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Party = pool.get('party.party')
            WebUser = pool.get('web.user')
            Notification = pool.get('service_center.notification')
            Ownership = pool.get('service_center.ownership')
            Unit = pool.get('service_center.unit')
            unit, = Unit.search([('code', '=', '1-101')])
            owner, = Party.create([{
                    'name': "Owner C",
                    'contact_mechanisms': [('create', [{
                                    'type': 'email',
                                    'value': 'C@Example.com'}])],
                    }])
            Ownership.create([{
                    'unit': unit.id, 'party': owner.id,
                    'role': 'co_owner'}])
            stranger, = Party.create([{'name': "Stranger"}])
            Party.invite_to_portal([owner])
            user, = WebUser.search([('party', '=', owner.id)])
            self.assertEqual(user.email, 'c@example.com')
            self.assertTrue(user.invited_at)
            message, = Notification.search([('origin', '=', str(user))])
            self.assertEqual(
                (message.channel, message.address),
                ('email', 'c@example.com'))
            link = re.search(r'https?://\S+', message.body).group(0)
            self.assertIn('/%s/portal/#welcome?' % DB_NAME.replace(
                    ':', '%3A'), link)
            with self.assertRaises(Exception):
                Party.invite_to_portal([stranger])
            Transaction().commit()
        token = re.search(r'token=(\w+)', link).group(1)

        client = self.client()
        for token_, password, status in [
                ('forged', 'long enough 1', 400),
                (token, 'short', 400),
                (token, 'long enough 1', 200),
                (token, 'long enough 2', 400),  # used once
                ]:
            response = self.send(client, 'POST', 'password', {
                    'login': 'c@example.com', 'token': token_,
                    'password': password}, {})
            with self.subTest(token=token_, password=password):
                self.assertEqual(response.status_code, status)
        response, _ = self.login(client, 'C@example.com', 'long enough 1')
        self.assertEqual(response.json['name'], "Owner C")

    def test_page_and_static(self):
        "The portal's page is served with its security headers"
        client = self.client()
        response = client.get('/%s/portal/static/owner_portal/../user.py'
            % self.db_name)
        self.assertEqual(response.status_code, 404)
        response = client.get(
            '/%s/portal/static/service_center/x.js' % self.db_name)
        self.assertEqual(response.status_code, 404)
        response = client.get(self.url('pages'))
        self.assertEqual(
            [p['name'] for p in response.json['pages']],
            ['requests', 'new', 'units', 'profile'])


def image(format_, size=(64, 48), mode='RGB', draw=True):
    "An image file of the format, with a line drawn on it"
    picture = Image.new(mode, size, (255, 255, 255, 0)[:len(mode)])
    if draw:
        ImageDraw.Draw(picture).line(
            [(2, 2), (size[0] - 2, size[1] - 2)], fill='black', width=3)
    output = io.BytesIO()
    picture.save(output, format_)
    return output.getvalue()


class PortalFlowTestCase(PortalFixtures, test_tryton.RouteTestCase):
    "Photos, sign-off and rating on the portal"

    def submit(self, client, headers, photos, description="Leak"):
        data = {
            'unit': self._unit_id(MOBILE_A), 'kind': 'repair',
            'category': 'construction_repair', 'description': description}
        return client.post(self.url('requests'), data={
                'data': json.dumps(data),
                'photos': [(io.BytesIO(content), name)
                    for name, content in photos],
                }, headers=headers, content_type='multipart/form-data')

    def test_photos(self):
        "Photos are decoded and kept as JPEG; other files are refused"
        client = self.client()
        _, headers = self.login(client)
        before = len(client.get(self.url('requests')).json['requests'])
        for photos in [
                [('leak.jpg', b'not an image at all')],
                [('leak.png', image('GIF'))],
                [('p%d.jpg' % i, image('JPEG')) for i in range(7)],
                ]:
            response = self.submit(client, headers, photos)
            with self.subTest(photos=[n for n, _ in photos]):
                self.assertEqual(response.status_code, 400)
                self.assertTrue(response.json['error'])
        self.assertEqual(
            len(client.get(self.url('requests')).json['requests']), before)

        response = self.submit(client, headers, [
                ('ceiling.png', image('PNG', mode='RGBA')),
                ('wall.webp', image('WEBP')),
                ('floor.heic.jpg', image('JPEG', size=(4000, 3000))),
                ])
        self.assertEqual(response.status_code, 200, response.json)
        detail = client.get(
            self.url('requests/%s' % response.json['id'])).json
        self.assertEqual(len(detail['photos']), 3)
        sizes = []
        for photo in detail['photos']:
            answer = client.get(self.url('photos/%s' % photo))
            self.assertEqual(answer.headers['Content-Type'], 'image/jpeg')
            picture = Image.open(io.BytesIO(answer.data))
            self.assertEqual(picture.format, 'JPEG')
            sizes.append(max(picture.size))
        # Scaled down to fit 2560 pixels
        self.assertEqual(sizes, [64, 64, 2560])

        other = self.client()
        self.login(other, MOBILE_B)
        for photo in detail['photos']:
            self.assertEqual(
                other.get(self.url('photos/%s' % photo)).status_code, 404)

    def _scheduled_order(self, description):
        "A request of owner A whose work order waits for the sign-off"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Request = pool.get('service_center.request')
            WorkOrder = pool.get('service_center.work_order')
            Department = pool.get('service_center.department')
            Party = pool.get('party.party')
            _, (party,) = Party.search_by_phone(MOBILE_A)
            unit, = party.units
            department, = Department.search([])
            request, = Request.create([{
                        'unit': unit.id, 'project': unit.project.id,
                        'party': party.id, 'kind': 'repair',
                        'category': 'construction_repair',
                        'description': description}])
            Request.register([request])
            order, = WorkOrder.create([{
                        'request': request.id,
                        'department': department.id,
                        'responsible': department.responsible.id}])
            Request.dispatch([request])
            WorkOrder.acknowledge([order])
            order.visit_planned_at = dt.datetime.now()
            order.save()
            WorkOrder.plan([order])
            transaction.commit()
            return request.id, order.id

    def signature(self, draw=True):
        return 'data:image/png;base64,' + base64.b64encode(
            image('PNG', size=(300, 120), mode='RGBA', draw=draw)).decode()

    def test_sign_and_rate(self):
        """The owner signs on the phone and rates: satisfied closes the
        request, dissatisfied reopens and escalates it"""
        client = self.client()
        _, headers = self.login(client)
        for satisfaction, confirmed, state, level in [
                ('very_satisfied', True, 'closed', 0),
                ('dissatisfied', True, 'reopened', 1),
                ]:
            request_id, order_id = self._scheduled_order(satisfaction)
            sign = 'work_orders/%s/sign' % order_id
            detail = client.get(self.url('requests/%s' % request_id)).json
            self.assertTrue(detail['work_orders'][0]['can_sign'])
            self.assertFalse(detail['can_rate'])
            for data in [
                    {'name': "Owner A"},
                    {'name': "Owner A", 'signature': self.signature(False)},
                    {'name': "Owner A", 'signature': 'data:image/png;base64,'
                        + base64.b64encode(b'<svg/>').decode()},
                    {'name': "", 'signature': self.signature()},
                    ]:
                response = self.send(client, 'POST', sign, data, headers)
                self.assertEqual(response.status_code, 400)
            response = self.send(client, 'POST', sign, {
                    'name': "Owner A", 'signature': self.signature()},
                headers)
            self.assertEqual(response.status_code, 200, response.json)
            self.assertEqual(response.json['state'], 'resolved')
            self.assertTrue(response.json['can_rate'])
            # Signed once only
            response = self.send(client, 'POST', sign, {
                    'name': "Owner A", 'signature': self.signature()},
                headers)
            self.assertEqual(response.status_code, 400)

            rate = 'requests/%s/rate' % request_id
            response = self.send(client, 'POST', rate, {
                    'confirmed': 'yes', 'satisfaction': satisfaction},
                headers)
            self.assertEqual(response.status_code, 400)
            response = self.send(client, 'POST', rate, {
                    'confirmed': confirmed, 'satisfaction': satisfaction,
                    'comment': "Thank you"}, headers)
            self.assertEqual(response.status_code, 200, response.json)
            self.assertEqual(response.json['state'], state)
            self.assertFalse(response.json['can_rate'])

            with Transaction().start(DB_NAME, 0):
                pool = Pool()
                Request = pool.get('service_center.request')
                WorkOrder = pool.get('service_center.work_order')
                ModelData = pool.get('ir.model.data')
                portal = ModelData.get_id('owner_portal', 'user_portal')
                request = Request(request_id)
                order = WorkOrder(order_id)
                callback, = request.callbacks
                with self.subTest(satisfaction=satisfaction):
                    self.assertEqual(order.state, 'done')
                    self.assertEqual(order.signed_by, "Owner A")
                    self.assertEqual(
                        Image.open(io.BytesIO(order.signature)).format,
                        'PNG')
                    self.assertEqual(
                        (callback.channel, callback.done_by.id),
                        ('portal', portal))
                    self.assertEqual(request.escalation_level, level)
                    self.assertEqual(
                        [e.reason for e in request.escalations],
                        ['dissatisfied'] if level else [])

    def test_sign_and_rate_refused_to_others(self):
        "Owner B can neither sign nor rate owner A's work"
        request_id, order_id = self._scheduled_order("Owner A's tap")
        client = self.client()
        _, headers = self.login(client, MOBILE_B)
        for path, data in [
                ('work_orders/%s/sign' % order_id, {
                        'name': "B", 'signature': self.signature()}),
                ('requests/%s/rate' % request_id, {
                        'confirmed': True, 'satisfaction': 'satisfied'}),
                ]:
            response = self.send(client, 'POST', path, data, headers)
            with self.subTest(path=path):
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("tap", response.get_data(as_text=True))
        with Transaction().start(DB_NAME, 0):
            WorkOrder = Pool().get('service_center.work_order')
            self.assertEqual(WorkOrder(order_id).state, 'scheduled')
