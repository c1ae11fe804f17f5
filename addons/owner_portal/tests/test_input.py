# This file is part of the coastal customer service project.
"""What owners' phones may send that the portal must not take as it comes:
invisible characters in what they type, bodies too large, too deeply
nested or not text. Each is answered with the portal's JSON."""
from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

from ..api import CSRF_HEADER
from ..routes import MAX_REQUEST_SIZE
from .tools import MOBILE_A, PortalFixtures

JSON = 'application/json; charset=utf-8'
BAD_REQUEST = (
    "The request could not be understood. Reload the page and try again.")
TOO_LARGE = "What you sent is larger than 80 MB. Send less at a time."


class Body:
    """A request body of size bytes, made as it is read, that counts the
    bytes read"""

    def __init__(self, size, start=b'{"name": "'):
        self.size = size
        self.start = start
        self.position = 0
        self.read_bytes = 0

    def read(self, size=-1):
        left = self.size - self.position
        size = left if size is None or size < 0 else min(size, left)
        start = self.start[self.position:self.position + size]
        self.position += size
        self.read_bytes += size
        return start + b'x' * (size - len(start))

    def tell(self):
        return self.position

    def seek(self, offset, whence=0):
        self.position = offset + (self.size if whence == 2 else 0)


class PortalInputTestCase(PortalFixtures, test_tryton.RouteTestCase):
    "Test what the portal does with what owners send"

    def stored_owner_a(self):
        "Owner A's name and e-mail as stored"
        with Transaction().start(DB_NAME, 0):
            Party = Pool().get('party.party')
            _, (party,) = Party.search_by_phone(MOBILE_A)
            email = party.contact_mechanism_get('email')
            return party.name, email.value if email else None

    def assert_json_error(self, response, status, message):
        self.assertEqual(response.status_code, status)
        self.assertEqual(response.headers['Content-Type'], JSON)
        self.assertEqual(response.json, {'error': message})

    def test_invisible_characters_removed(self):
        """Right-to-left overrides, zero-width and control characters are
        removed from what an owner types, and the text NFC-normalised"""
        client = self.client()
        _, headers = self.login(client)
        self.addCleanup(self.restore_owner_a)
        response = self.send(client, 'PUT', 'me', {
                'name': '\u202eOwner\u200b A\u0000\u2066\u2069\ufeff',
                'email': 'owner\u200d.a@exam\u00adple.com\u200e',
                }, headers)
        self.assertEqual(response.status_code, 200, response.json)
        self.assertEqual(response.json['name'], "Owner A")
        self.assertEqual(
            self.stored_owner_a(), ("Owner A", 'owner.a@example.com'))

        response = self.send(client, 'PUT', 'me', {
                'name': "Jose\u0301 \u202bA\u202c\r\n"}, headers)
        self.assertEqual(response.status_code, 200, response.json)
        self.assertEqual(self.stored_owner_a()[0], "Jos\u00e9 A")

    def restore_owner_a(self):
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Party = pool.get('party.party')
            ContactMechanism = pool.get('party.contact_mechanism')
            WebUser = pool.get('web.user')
            _, (party,) = Party.search_by_phone(MOBILE_A)
            party.name = "Owner A"
            party.save()
            ContactMechanism.delete([m for m in party.contact_mechanisms
                    if m.type == 'email'])
            WebUser.write(WebUser.search([('party', '=', party.id)]),
                {'email': None})
            transaction.commit()

    def test_nothing_but_invisible_characters(self):
        "A name of nothing but invisible characters is no name"
        client = self.client()
        _, headers = self.login(client)
        for name in ['\u0000', '\u200b\u202e', '\ufeff \u0007']:
            response = self.send(
                client, 'PUT', 'me', {'name': name}, headers)
            with self.subTest(name=name):
                self.assert_json_error(
                    response, 400, "Please fill in: Name.")
        self.assertEqual(self.stored_owner_a()[0], "Owner A")

    def test_not_text(self):
        """A lone surrogate is no text: refused with the portal's error
        wherever it is, like a body nested too deeply"""
        client = self.client()
        _, headers = self.login(client)
        for path, body in [
                ('me', '{"name": "Owner \\ud800A"}'),
                ('me', '{"name": "\\udfff"}'),
                ('me', '{"\\ud800": 1}'),
                ('me', '[' * 100_000),
                ('me', '{"name": ' * 100_000),
                ('login', '{"login": "%s", "password": "\\ud800"}'
                    % MOBILE_A),
                ('login', '{"login": "\\ud800", "password": "x"}'),
                ('password', '{"login": "\\ud800", "token": "x", '
                    '"password": "long enough 1"}'),
                ]:
            response = client.open(
                self.url(path), method='PUT' if path == 'me' else 'POST',
                data=body, content_type='application/json',
                headers=headers)
            with self.subTest(path=path, body=body[:40]):
                self.assert_json_error(response, 400, BAD_REQUEST)
        self.assertEqual(self.stored_owner_a()[0], "Owner A")

    def test_nul_where_no_text_is_stored(self):
        """NUL characters and non-ASCII tokens get the portal's answers
        where nothing is stored"""
        client = self.client()
        _, headers = self.login(client)
        response = self.send(client, 'POST', 'login', {
                'login': '\u0000', 'password': 'x'}, {})
        self.assert_json_error(
            response, 401, "Wrong e-mail, mobile number or password.")
        response = self.send(client, 'POST', 'login', {
                'login': MOBILE_A + '\u0000', 'password': 'x\u0000'}, {})
        self.assert_json_error(
            response, 401, "Wrong e-mail, mobile number or password.")
        response = self.send(client, 'POST', 'forgot', {
                'login': '\u0000'}, {})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers['Content-Type'], JSON)
        response = self.send(client, 'POST', 'password', {
                'login': MOBILE_A, 'token': '\u00e9\u0000',
                'password': 'long enough 1'}, {})
        self.assert_json_error(response, 400,
            "This link is no longer valid. Ask for a new one.")
        response = self.send(client, 'PUT', 'me', {'name': "Mallory"},
            {CSRF_HEADER: '\u00e9t\u00e9'})
        self.assert_json_error(response, 403,
            "Your page is out of date. Reload it and try again.")
        self.assertEqual(self.stored_owner_a()[0], "Owner A")

    def test_body_too_large(self):
        """A body over the limit is answered 413 with the portal's error,
        after it is read to its end (else the connection is reset and the
        phone never gets the answer)"""
        client, anonymous = self.client(), self.client()
        _, headers = self.login(client)
        size = MAX_REQUEST_SIZE + 10 * 1024 * 1024
        for path, content_type, owner, status, message in [
                ('me', 'application/json', client, 413, TOO_LARGE),
                ('me', 'multipart/form-data; boundary=x', client,
                    413, TOO_LARGE),
                # Refused before the body is read
                ('me', 'application/json', anonymous, 401,
                    "Please log in."),
                ('me', 'text/plain', client, 400, BAD_REQUEST),
                ('nothing', 'application/json', client, 404, "Not found."),
                ]:
            body = Body(size)
            response = owner.open(
                self.url(path), method='PUT', input_stream=body,
                content_length=size, content_type=content_type,
                headers=headers)
            with self.subTest(path=path, content_type=content_type,
                    status=status):
                self.assert_json_error(response, status, message)
                self.assertEqual(body.read_bytes, size)
        self.assertEqual(self.stored_owner_a()[0], "Owner A")
