# This file is part of the coastal customer service project.
"""Failed logins of the portal: refused at once, per account whatever
login the owner types, and per network; never by sleeping in a worker"""
import datetime as dt
import time

from property_register import clock
from property_register.tests.tools import clock_at

from trytond import config
from trytond.pool import Pool
from trytond.tests import test_tryton

from .tools import MOBILE_A, MOBILE_B, PASSWORD, PortalFixtures

EMAIL_A = 'owner.a@example.com'
# Owner A's number as she may type it too
MOBILE_A_OTHER = '+86 139-1234-5670'
# A refusal answers at once: well under the second a sleep would take
IMMEDIATE = 0.5
ATTACKER, NEIGHBOUR = '203.0.113.7', '198.51.100.9'


class LoginBudgetTestCase(PortalFixtures, test_tryton.RouteTestCase):
    "Test the budgets of failed logins of the portal"

    @classmethod
    def setUpOwners(cls, company):
        super().setUpOwners(company)
        WebUser = Pool().get('web.user')
        user, = WebUser.search([('party.name', '=', "Owner A")])
        user.email = EMAIL_A
        user.save()

    def setUp(self):
        super().setUp()
        self.start = clock.now().replace(microsecond=0)

    def at(self, seconds):
        "The clock, seconds after the test's start"
        return clock_at(self.start + dt.timedelta(seconds=seconds))

    def log_in(self, client, login, password, address='127.0.0.1'):
        "Log in from the address; return the answer and its seconds"
        begin = time.perf_counter()
        response = client.post(self.url('login'), json={
                'login': login, 'password': password},
            environ_base={'REMOTE_ADDR': address})
        return response, time.perf_counter() - begin

    def assertRefused(self, response, seconds, wait):
        "Refused at once with 429, telling the wait"
        self.assertEqual(response.status_code, 429)
        self.assertLess(seconds, IMMEDIATE)
        self.assertEqual(response.headers['Retry-After'], str(wait))
        self.assertEqual(response.json['retry_after'], wait)
        self.assertEqual(
            response.json['error'],
            "Too many failed attempts. Try again in %s min."
            % -(-wait // 60))

    def test_account_across_mobile_and_email(self):
        """Failures with the mobile and with the e-mail count for the same
        account; the right password waits until the wait has passed"""
        client = self.client()
        with self.at(0):
            for login in [
                    MOBILE_A, EMAIL_A, MOBILE_A_OTHER, 'Owner.A@Example.com',
                    '13912345670']:
                response, _ = self.log_in(client, login, 'wrong')
                self.assertEqual(response.status_code, 401)
        with self.at(10):
            for login in [EMAIL_A, MOBILE_A, MOBILE_A_OTHER]:
                with self.subTest(login=login):
                    response, seconds = self.log_in(client, login, PASSWORD)
                    self.assertRefused(response, seconds, 50)
            # Owner B's account is not A's
            response, _ = self.log_in(client, MOBILE_B, PASSWORD)
            self.assertEqual(response.status_code, 200)
        with self.at(60):
            response, _ = self.log_in(client, EMAIL_A, PASSWORD)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.json['name'], "Owner A")
        # A success forgets the failures
        with self.at(61):
            for _ in range(4):
                response, _ = self.log_in(client, MOBILE_A, 'wrong')
                self.assertEqual(response.status_code, 401)
            response, _ = self.log_in(client, MOBILE_A, PASSWORD)
            self.assertEqual(response.status_code, 200)

    def test_wait_doubles_with_each_further_failure(self):
        "Each failure after the free ones doubles the wait"
        client = self.client()
        with self.at(0):
            for _ in range(5):
                self.log_in(client, EMAIL_A, 'wrong')
            response, seconds = self.log_in(client, MOBILE_A, 'wrong')
            self.assertRefused(response, seconds, 60)
        waits = []
        moment = 0
        for wait in [60, 120, 240, 480, 900, 900]:
            moment += wait
            with self.at(moment):
                response, _ = self.log_in(client, MOBILE_A, 'wrong')
                self.assertEqual(response.status_code, 401)
                response, seconds = self.log_in(client, EMAIL_A, PASSWORD)
                self.assertEqual(response.status_code, 429)
                self.assertLess(seconds, IMMEDIATE)
                waits.append(response.json['retry_after'])
        self.assertEqual(waits, [120, 240, 480, 900, 900, 900])
        # The failures of yesterday are forgotten
        with self.at(moment + 24 * 60 * 60):
            response, _ = self.log_in(client, EMAIL_A, PASSWORD)
            self.assertEqual(response.status_code, 200)

    def test_made_up_logins_counted_by_their_text(self):
        "A made-up login is blocked by its normalised text alone"
        client = self.client()
        with self.at(0):
            for login in [
                    'Nobody@Example.com', ' nobody@example.com ',
                    'NOBODY@EXAMPLE.COM', 'nobody@example.com',
                    'nobody@Example.com']:
                response, _ = self.log_in(client, login, 'wrong')
                self.assertEqual(response.status_code, 401)
            response, seconds = self.log_in(
                client, 'NOBODY@example.com', 'wrong')
            self.assertRefused(response, seconds, 60)
            response, _ = self.log_in(client, 'other@example.com', 'wrong')
            self.assertEqual(response.status_code, 401)

    def test_network_budget(self):
        """Many failures from one network block its logins, right or wrong,
        for a while; other networks log in"""
        self.set_config('session', 'max_attempt_ip_network', '10')
        client = self.client()
        with self.at(0):
            for i in range(10):
                response, _ = self.log_in(
                    client, 'intruder%s@example.com' % i, 'wrong', ATTACKER)
                self.assertEqual(response.status_code, 401)
        with self.at(100):
            response, seconds = self.log_in(
                client, MOBILE_A, PASSWORD, ATTACKER)
            self.assertRefused(response, seconds, 200)
            response, _ = self.log_in(client, MOBILE_A, PASSWORD, NEIGHBOUR)
            self.assertEqual(response.status_code, 200)
            # The refusals were not counted: B's account is free
            response, _ = self.log_in(client, MOBILE_B, PASSWORD, NEIGHBOUR)
            self.assertEqual(response.status_code, 200)
        with self.at(300):
            response, _ = self.log_in(client, MOBILE_A, PASSWORD, ATTACKER)
            self.assertEqual(response.status_code, 200)

    def test_forgot_and_password_share_the_budget(self):
        "Asking for links and trying tokens spend the account's budget"
        client = self.client()
        with self.at(0):
            for _ in range(3):
                self.log_in(client, MOBILE_B, 'wrong')
            response = client.post(self.url('forgot'), json={
                    'login': MOBILE_B})
            self.assertEqual(response.status_code, 200)
            response = client.post(self.url('password'), json={
                    'login': MOBILE_B, 'token': 'forged',
                    'password': 'long enough 1'})
            self.assertEqual(response.status_code, 400)
            for path, data in [
                    ('forgot', {'login': MOBILE_B}),
                    ('password', {'login': MOBILE_B, 'token': 'forged',
                            'password': 'long enough 1'}),
                    ('login', {'login': MOBILE_B, 'password': PASSWORD}),
                    ]:
                begin = time.perf_counter()
                response = client.post(self.url(path), json=data)
                with self.subTest(path=path):
                    self.assertRefused(
                        response, time.perf_counter() - begin, 60)

    def set_config(self, section, option, value):
        previous = config.get(section, option)
        config.set(section, option, value)
        self.addCleanup(config.set, section, option, previous)
