# This file is part of the coastal customer service project.
"""The owners' requests on the portal through trytond's WSGI application,
as the owners' phones call them"""
import base64
import datetime as dt
import io
import json
import struct
import zlib
from unittest import mock

from owner_portal.api import CSRF_HEADER
from owner_portal.tests.tools import MOBILE_A, MOBILE_B
from PIL import Image, ImageDraw, ImageFile

from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

from . import tools


class PortalRouteTestCase(tools.RequestFixtures, test_tryton.RouteTestCase):
    "Test the portal's request endpoints"

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

    def test_page_and_static(self):
        "The request pages are in the menu, their files served"
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
        self.assertEqual(
            [p['script'] for p in response.json['pages']], [
                'owner_portal_request/requests.js',
                'owner_portal_request/requests.js',
                'owner_portal/units.js', 'owner_portal/profile.js'])
        for path in ['requests.js', 'requests.css']:
            response = client.get(
                '/%s/portal/static/owner_portal_request/%s'
                % (self.db_name, path))
            with self.subTest(path=path):
                self.assertEqual(response.status_code, 200)


def image(format_, size=(64, 48), mode='RGB', draw=True):
    "An image file of the format, with a line drawn on it"
    picture = Image.new(mode, size, (255, 255, 255, 0)[:len(mode)])
    if draw:
        ImageDraw.Draw(picture).line(
            [(2, 2), (size[0] - 2, size[1] - 2)], fill='black', width=3)
    output = io.BytesIO()
    picture.save(output, format_)
    return output.getvalue()


def big_png(width, height):
    """A black RGB PNG of the size, made row by row without holding its
    pixels: a small file that decodes to width x height x 3 bytes"""
    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data
            + struct.pack('>I', zlib.crc32(kind + data)))
    compressor = zlib.compressobj(9)
    row = b'\0' * (1 + 3 * width)
    data = b''.join(compressor.compress(row) for _ in range(height))
    return (b'\x89PNG\r\n\x1a\n'
        + chunk(b'IHDR', struct.pack(
                '>IIBBBBB', width, height, 8, 2, 0, 0, 0))
        + chunk(b'IDAT', data + compressor.flush())
        + chunk(b'IEND', b''))


def stored_image(data):
    "The size, format and EXIF tags of a stored image"
    picture = Image.open(io.BytesIO(data))
    return picture.size, picture.format, dict(picture.getexif())


class PortalFlowTestCase(tools.RequestFixtures, test_tryton.RouteTestCase):
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
            sizes.append(picture.size)
        # Scaled down to fit 2048 pixels
        self.assertEqual(sizes, [(64, 48), (64, 48), (2048, 1536)])

        other = self.client()
        self.login(other, MOBILE_B)
        for photo in detail['photos']:
            self.assertEqual(
                other.get(self.url('photos/%s' % photo)).status_code, 404)

    def _photos_of(self, request_id):
        "The stored photos of the request"
        with Transaction().start(DB_NAME, 0):
            Attachment = Pool().get('ir.attachment')
            return [a.data for a in Attachment.search([
                        ('resource', '=',
                            'service_center.request,%s' % request_id),
                        ], order=[('id', 'ASC')])]

    def test_photo_too_many_pixels(self):
        """Six 7000 x 7000 PNGs (small files) are refused from their
        headers, none decoded, and nothing is registered"""
        client = self.client()
        _, headers = self.login(client)
        before = client.get(self.url('requests')).json
        png = big_png(7000, 7000)
        self.assertLess(len(png), 1024 * 1024)
        self.assertEqual(Image.open(io.BytesIO(png)).size, (7000, 7000))
        load = ImageFile.ImageFile.load
        with mock.patch.object(ImageFile.ImageFile, 'load',
                autospec=True, side_effect=load) as loaded:
            response = self.submit(client, headers,
                [('p%d.png' % i, png) for i in range(6)])
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.headers['Content-Type'],
            'application/json; charset=utf-8')
        self.assertEqual(response.json, {'error': (
                    "A photo has more than 25 megapixels. Take it at a "
                    "lower resolution, or send a screenshot of it.")})
        self.assertEqual(loaded.call_count, 0)
        self.assertEqual(client.get(self.url('requests')).json, before)

    def test_photos_stored_upright_and_smaller(self):
        """A phone's 4000 x 3000 JPEG is stored at 2048 x 1536, turned as
        its EXIF orientation says and without its metadata; a 48-megapixel
        JPEG is decoded at half its size and stored as large"""
        client = self.client()
        _, headers = self.login(client)
        exif = Image.Exif()
        exif[0x0112] = 6  # the phone was held upright: turn 90 degrees
        exif[0x010f] = "Phone Maker"
        rotated = io.BytesIO()
        Image.new('RGB', (4000, 3000), 'white').save(
            rotated, 'JPEG', exif=exif)
        large = io.BytesIO()
        Image.new('L', (8000, 6000), 128).save(large, 'JPEG')
        load = ImageFile.ImageFile.load
        decoded = []

        def load_and_note(image):
            decoded.append(image.size)
            return load(image)
        with mock.patch.object(ImageFile.ImageFile, 'load',
                autospec=True, side_effect=load_and_note):
            response = self.submit(client, headers, [
                    ('plain.jpg', image('JPEG', size=(4000, 3000))),
                    ('upright.jpg', rotated.getvalue()),
                    ('large.jpg', large.getvalue()),
                    ])
        self.assertEqual(response.status_code, 200, response.json)
        self.assertIn((4000, 3000), decoded)
        self.assertNotIn((8000, 6000), decoded)
        self.assertEqual(
            [stored_image(p) for p in self._photos_of(response.json['id'])],
            [((2048, 1536), 'JPEG', {}), ((1536, 2048), 'JPEG', {}),
                ((2048, 1536), 'JPEG', {})])

    def test_typed_text_cleaned(self):
        """What the owner types in a request and in a sign-off is stored
        without right-to-left overrides, zero-width or control characters;
        the signature is kept at most 1024 pixels wide"""
        client = self.client()
        _, headers = self.login(client)
        response = self.send(client, 'POST', 'requests', {
                'unit': None, 'project': self._project_id(),
                'kind': 'repair', 'category': 'common_upkeep',
                'location': '\u202eLift\u200b hall\u0000',
                'description': 'Door\u2067 stuck\ufeff\r\nsince Monday',
                }, headers)
        self.assertEqual(response.status_code, 200, response.json)
        with Transaction().start(DB_NAME, 0):
            Request = Pool().get('service_center.request')
            request = Request(response.json['id'])
            self.assertEqual(
                (request.location, request.description),
                ("Lift hall", "Door stuck\nsince Monday"))

        request_id, order_id = self._scheduled_order("Tap drips")
        signature = 'data:image/png;base64,' + base64.b64encode(image(
                'PNG', size=(2048, 800), mode='RGBA')).decode()
        response = self.send(client, 'POST',
            'work_orders/%s/sign' % order_id, {
                'name': '\u202eOwner\u200b A\u0000',
                'signature': signature}, headers)
        self.assertEqual(response.status_code, 200, response.json)
        with Transaction().start(DB_NAME, 0):
            WorkOrder = Pool().get('service_center.work_order')
            order = WorkOrder(order_id)
            self.assertEqual(order.signed_by, "Owner A")
            self.assertEqual(stored_image(order.signature),
                ((1024, 400), 'PNG', {}))

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
