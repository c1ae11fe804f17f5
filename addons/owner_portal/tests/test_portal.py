# This file is part of the coastal customer service project.
"""The portal's endpoints through trytond's WSGI application, as the
owners' phones call them: accounts, profile and homes"""
import re

from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

from ..api import CSRF_HEADER
from .tools import MOBILE_A, MOBILE_B, PortalFixtures


class OwnerPortalTestCase(test_tryton.ModuleTestCase):
    "Test the owner portal module"
    module = 'owner_portal'


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
        self.assertEqual(answers[:5], [401] * 5)
        self.assertEqual(answers[5:], [429, 429, 429])
        # Blocked even with the right password, with a clear message
        response, _ = self.login(client, MOBILE_B)
        self.assertEqual(response.status_code, 429)
        self.assertIn('error', response.json)
        # Owner A's number is not blocked by B's failures
        self.assertEqual(self.login(client)[0].status_code, 200)

    def test_state_changes_need_the_csrf_token(self):
        "Without the page's token, nothing is changed"
        client = self.client()
        self.login(client)
        before = client.get(self.url('me')).json
        for headers in [{}, {CSRF_HEADER: 'forged'}]:
            response = self.send(
                client, 'PUT', 'me', {'name': "Mallory"}, headers)
            self.assertEqual(response.status_code, 403)
        self.assertEqual(client.get(self.url('me')).json, before)

    def test_owner_b_never_sees_owner_a(self):
        "Owner B's pages show nothing of owner A"
        client_a, client_b = self.client(), self.client()
        _, headers_a = self.login(client_a)
        _, headers_b = self.login(client_b, MOBILE_B)
        for path in ['units', 'me']:
            body = client_b.get(self.url(path)).get_data(as_text=True)
            with self.subTest(path=path):
                self.assertNotIn('Owner A', body)
                self.assertNotIn('1-101', body)
        # B's session with A's page token is refused
        response = self.send(
            client_b, 'PUT', 'me', {'name': "Owner A"}, headers_a)
        self.assertEqual(response.status_code, 403)

    def test_bad_input_is_a_clear_error(self):
        "Bad input is answered with a message, never a server error"
        client = self.client()
        _, headers = self.login(client)
        for data in [
                {'name': ''},
                {'name': 'x' * 300},
                {'name': 42},
                {'language': 'fr'},
                {'email': ['a@example.com']},
                {'mobile': '12'},
                ]:
            response = self.send(client, 'PUT', 'me', data, headers)
            with self.subTest(data=data):
                self.assertEqual(response.status_code, 400)
                self.assertTrue(response.json['error'])
        response = client.open(self.url('me'), method='PUT',
            data='{"name": ', content_type='application/json',
            headers=headers)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(client.get(self.url('nothing/here')).status_code,
            404)
        self.assertEqual(client.get(self.url('me')).json['name'], "Owner A")

    def test_markup_is_refused(self):
        "Owners write plain text: tags are refused, never stored"
        client = self.client()
        _, headers = self.login(client)
        before = client.get(self.url('me')).json
        for text in ['<script>alert("x")</script>', 'Owner <img src=x>',
                '&lt;b&gt;', '< /b>']:
            response = self.send(client, 'PUT', 'me', {'name': text},
                headers)
            with self.subTest(text=text):
                self.assertEqual(response.status_code, 400)
                self.assertEqual(
                    response.headers['Content-Type'],
                    'application/json; charset=utf-8')
        self.assertEqual(client.get(self.url('me')).json, before)

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
        "The portal's page and the static files of its modules only"
        client = self.client()
        response = client.get('/%s/portal/' % self.db_name)
        self.assertEqual(response.status_code, 200)
        self.assertIn("default-src 'self'",
            response.headers['Content-Security-Policy'])
        response = client.get('/%s/portal/static/owner_portal/../user.py'
            % self.db_name)
        self.assertEqual(response.status_code, 404)
        for module in ['property_register', 'owner_portal_request']:
            response = client.get(
                '/%s/portal/static/%s/requests.js' % (self.db_name, module))
            with self.subTest(module=module):
                self.assertEqual(response.status_code, 404)
        response = client.get(self.url('pages'))
        self.assertEqual(response.json['pages'], [{
                    'name': 'units', 'title': "My Homes",
                    'script': 'owner_portal/units.js',
                    }, {
                    'name': 'profile', 'title': "My Profile",
                    'script': 'owner_portal/profile.js',
                    }])
        self.assertEqual(client.get(
                '/%s/portal/static/owner_portal/units.js'
                % self.db_name).status_code, 200)

    def test_units(self):
        "The owner's homes with the warranty of each part"
        with Transaction().start(DB_NAME, 0):
            WarrantyType = Pool().get('service_center.warranty_type')
            parts = [t.name for t in WarrantyType.search([])]
        client = self.client()
        self.login(client)
        home, = client.get(self.url('units')).json['units']
        self.assertEqual(
            (home['name'], home['project'], home['handover_date']),
            ("Seaside 1-101", "Seaside", '2025-01-01'))
        self.assertEqual([p['part'] for p in home['warranty']], parts)
        self.assertTrue(parts)
        for part in home['warranty']:
            with self.subTest(part=part['part']):
                self.assertIn(part['state_code'], {
                        'under_warranty', 'expired'})
                self.assertEqual(part['state'], {
                        'under_warranty': "Under Warranty",
                        'expired': "Expired",
                        }[part['state_code']])
                self.assertTrue(part['until'])
