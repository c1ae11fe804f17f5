# This file is part of the coastal customer service project.
"""Thousands of generated bad inputs across the portal's endpoints: the
server answers each with a clear refusal, never a server error, and keeps
no markup"""
import json
import random
from collections import Counter

from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

from .tools import MOBILE_A, PortalFixtures

ATTEMPTS = 2400
SEED = 20261123
SCRIPTS = [
    '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
    "javascript:alert('x')", '<svg/onload=alert(1)>', '&#60;script&#62;',
    '{{7*7}}', "'; DROP TABLE party_party; --", '../../etc/passwd',
    ]
STRINGS = SCRIPTS + [
    '', ' ', 'x' * 100_000, '漏水' * 3000, '\x00\x01\x02', '\ud800'.encode(
        'utf-8', 'surrogatepass').decode('utf-8', 'replace'),
    '139 1234 5670', 'repair', 'construction_repair', 'satisfied',
    'data:image/png;base64,AAAA', 'data:image/png;base64,' + 'A' * 5000,
    ]
VALUES = STRINGS + [
    None, True, False, 0, -1, 2 ** 31, 2 ** 63, 10 ** 40, 3.14, float('1e308'),
    [], [1, 2], {}, {'id': 1}, ['<script>'],
    ]
# The fields and endpoints of the portal's base; a module that adds pages
# fuzzes them with its own
FIELDS = [
    'login', 'password', 'token', 'name', 'mobile', 'phone', 'email',
    'language',
    ]
IDS = ['1', '0', '-1', '99999999', '2147483648', 'abc', '1.5', '%00',
    '1;DROP', '..%2F..', '<script>', '9' * 40]
ENDPOINTS = [
    ('POST', 'login'), ('POST', 'password'), ('POST', 'forgot'),
    ('POST', 'logout'), ('GET', 'me'), ('PUT', 'me'), ('GET', 'units'),
    ('GET', 'pages'), ('DELETE', 'me'), ('GET', 'nothing/{id}'),
    ]
BODIES = [
    '{"login": ', '[1, 2, 3]', 'null', '"text"', '{"a": NaN}', '\x00\xff',
    '{' * 5000, '{"unit": {"$gt": 0}}',
    ]
CONTENT_TYPES = [
    'application/json', 'text/plain', 'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x', 'application/json; charset=latin-1',
    ]


class FuzzMixin:
    "Fuzz the endpoints; what is stored keeps no markup"
    endpoints = ENDPOINTS
    fields = FIELDS

    def body(self, rng):
        "A JSON object of random fields and values, or a broken body"
        if rng.random() < 0.2:
            return rng.choice(BODIES)
        data = {rng.choice(self.fields): rng.choice(VALUES)
            for _ in range(rng.randint(0, 6))}
        return json.dumps(data)

    def stored_texts(self):
        "The texts the owners may have changed"
        pool = Pool()
        Party = pool.get('party.party')
        Mechanism = pool.get('party.contact_mechanism')
        return ([p.name for p in Party.search([])]
            + [m.value or '' for m in Mechanism.search([])])

    def test_fuzz(self):
        rng = random.Random(SEED)
        logged_in = self.client()
        _, headers = self.login(logged_in)
        anonymous = self.client()
        statuses = Counter()
        failures = []
        for attempt in range(ATTEMPTS):
            method, path = rng.choice(self.endpoints)
            path = path.format(id=rng.choice(IDS))
            client = logged_in if rng.random() < 0.8 else anonymous
            request_headers = dict(headers) if rng.random() < 0.9 else {}
            if method == 'GET':
                response = client.get(self.url(path),
                    headers=request_headers)
            else:
                response = client.open(
                    self.url(path), method=method, data=self.body(rng),
                    content_type=rng.choice(CONTENT_TYPES)
                    if rng.random() < 0.3 else 'application/json',
                    headers=request_headers)
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                failures.append((method, path, response.status_code))
            if path == 'logout' and response.status_code == 200:
                # Keep the session for the next attempts
                _, headers = self.login(logged_in)
        self.assertEqual(failures, [])
        self.assertEqual(sum(statuses.values()), ATTEMPTS)
        # Mostly refused: what went through was harmless
        self.assertGreater(
            sum(n for s, n in statuses.items() if s >= 400), ATTEMPTS // 2)

        with Transaction().start(DB_NAME, 0):
            for text in self.stored_texts():
                self.assertNotIn('<', text)
                self.assertNotIn('&#', text)
            self.check_owner_a()

    def check_owner_a(self):
        "Owner A is still found by her number, once"
        Party = Pool().get('party.party')
        _, parties = Party.search_by_phone(MOBILE_A)
        self.assertEqual(len(parties), 1)


class PortalFuzzTestCase(
        FuzzMixin, PortalFixtures, test_tryton.RouteTestCase):
    "Fuzz the portal's endpoints"

    def check_owner_a(self):
        """Her number is hers alone and no party was made; with the profile
        among so few endpoints the fuzz clears her mobile (PUT me
        {"mobile": " "}), which the profile allows"""
        Party = Pool().get('party.party')
        _, parties = Party.search_by_phone(MOBILE_A)
        self.assertLessEqual(len(parties), 1)
        # The company's and the two owners'
        self.assertEqual(Party.search([], count=True), 3)
