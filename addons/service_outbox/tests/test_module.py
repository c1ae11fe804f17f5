# This file is part of the coastal customer service project.
import datetime as dt
import http.server
import json
import socket
import threading

from property_register.tests.tools import clock_at

from trytond import config
from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import with_transaction


class ServiceOutboxTestCase(test_tryton.ModuleTestCase):
    "Test Service Outbox module"
    module = 'service_outbox'


class OutboxTestCase(test_tryton._DBTestCase):
    "Test the notification channels against real local servers"
    module = 'service_outbox'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from aiosmtpd.controller import Controller

        class Handler:
            def __init__(self):
                self.messages = []

            async def handle_DATA(self, server, session, envelope):
                self.messages.append(envelope)
                return '250 OK'

        cls.smtp_handler = Handler()
        with socket.socket() as probe:
            probe.bind(('127.0.0.1', 0))
            cls.smtp_port = probe.getsockname()[1]
        cls.smtp = Controller(
            cls.smtp_handler, hostname='127.0.0.1', port=cls.smtp_port)
        cls.smtp.start()
        cls.sms = []
        outer = cls

        class Gateway(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers['Content-Length'])
                outer.sms.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        cls.http = http.server.HTTPServer(('127.0.0.1', 0), Gateway)
        cls.http_thread = threading.Thread(
            target=cls.http.serve_forever, daemon=True)
        cls.http_thread.start()

    @classmethod
    def tearDownClass(cls):
        cls.smtp.stop()
        cls.http.shutdown()
        cls.http.server_close()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        port = self.smtp_port
        saved = {
            ('email', 'uri'): config.get('email', 'uri'),
            }
        config.set('email', 'uri', 'smtp://127.0.0.1:%s' % port)
        if not config.has_section('service_outbox'):
            config.add_section('service_outbox')
        config.set('service_outbox', 'sms_sender', 'http')
        config.set(
            'service_outbox', 'sms_url',
            'http://127.0.0.1:%s/sms' % self.http.server_address[1])

        def restore():
            for (section, option), value in saved.items():
                config.set(section, option, value)
            config.remove_section('service_outbox')
        self.addCleanup(restore)
        self.smtp_handler.messages.clear()
        self.sms.clear()

    @with_transaction()
    def test_send_and_retry(self):
        "E-mail and text messages reach their servers; failures are retried"
        pool = Pool()
        User = pool.get('res.user')
        Notification = pool.get('service_center.notification')
        user, = User.create([{
                    'login': 'eddie', 'name': "Eddie",
                    'email': 'eddie@example.com',
                    'mobile': '13800138002'}])
        notifications = Notification.for_user(
            user, 'service_outbox.msg_notify_subject', number='KF2026-000007')
        Notification.save(notifications)
        Notification.send(notifications)
        self.assertEqual(
            {n.state for n in notifications}, {'sent'})
        envelope, = self.smtp_handler.messages
        self.assertEqual(envelope.rcpt_tos, ['eddie@example.com'])
        self.assertIn(b'KF2026-000007', envelope.content)
        self.assertEqual(self.sms, [{
                    'to': '+8613800138002',
                    'text': notifications[0].body}])

        # The gateway is down: the message stays in the outbox, failed
        config.set('service_outbox', 'sms_url', 'http://127.0.0.1:9/sms')
        failed = Notification.for_user(
            user, 'service_outbox.msg_notify_subject', number='KF2026-000008')
        Notification.save(failed)
        Notification.send(failed)
        sms, = [n for n in failed if n.channel == 'sms']
        self.assertEqual(sms.state, 'failed')
        self.assertEqual(sms.attempts, 1)
        self.assertTrue(sms.error)

        # Back up: the scheduled action sends it
        config.set(
            'service_outbox', 'sms_url',
            'http://127.0.0.1:%s/sms' % self.http.server_address[1])
        Notification.send_queued()
        self.assertEqual(Notification(sms.id).state, 'sent')
        self.assertEqual(Notification(sms.id).attempts, 2)
        self.assertEqual(len(self.sms), 2)

    @with_transaction()
    def test_left_sending_is_unknown_until_retried(self):
        """A message a dead run left sending is not sent again by the
        scheduled action: it becomes unknown, and Retry sends it once"""
        pool = Pool()
        Notification = pool.get('service_center.notification')
        claimed_at = dt.datetime(2026, 3, 2, 8, 0)
        left, waiting = Notification.create([{
                    'channel': 'sms', 'address': '+8613800000001',
                    'body': "left sending",
                    }, {
                    'channel': 'sms', 'address': '+8613800000002',
                    'body': "waiting",
                    }])
        # A run claims the first message and dies before handing it over
        with clock_at(claimed_at):
            claimed = Notification._claim([('id', '=', left.id)])
        self.assertEqual(claimed, [left])
        left = Notification(left.id)
        self.assertEqual(
            (left.state, left.claimed_at, left.attempts),
            ('sending', claimed_at, 0))

        # A run a minute later leaves the claim of a live run alone
        with clock_at(claimed_at + dt.timedelta(minutes=1)):
            Notification.send_queued()
        self.assertEqual(Notification(left.id).state, 'sending')
        self.assertEqual(Notification(waiting.id).state, 'sent')
        self.assertEqual(self.sms, [
                {'to': '+8613800000002', 'text': "waiting"}])

        # Ten minutes on, its run is taken for dead: unknown, not sent
        with clock_at(claimed_at + dt.timedelta(minutes=10)):
            Notification.send_queued()
        left = Notification(left.id)
        self.assertEqual((left.state, left.attempts), ('unknown', 0))
        self.assertEqual(len(self.sms), 1)
        with clock_at(claimed_at + dt.timedelta(minutes=11)):
            Notification.send_queued()
        self.assertEqual(Notification(left.id).state, 'unknown')
        self.assertEqual(len(self.sms), 1)

        # A person checked it did not arrive and retries it: sent once
        Notification.retry([Notification(left.id)])
        left = Notification(left.id)
        self.assertEqual(
            (left.state, left.attempts, left.error), ('sent', 1, None))
        self.assertEqual(self.sms[1:], [
                {'to': '+8613800000001', 'text': "left sending"}])
        # Retry does nothing to a sent message, nor does the next run
        Notification.retry([left, Notification(waiting.id)])
        Notification.send_queued()
        self.assertEqual(len(self.sms), 2)
        self.assertEqual(Notification(left.id).attempts, 1)

    @with_transaction()
    def test_retry_failed_after_max_attempts(self):
        "A message that failed every attempt waits for Retry, sent once"
        pool = Pool()
        Notification = pool.get('service_center.notification')
        config.set('service_outbox', 'sms_url', 'http://127.0.0.1:9/sms')
        failed, = Notification.create([{
                    'channel': 'sms', 'address': '+8613800000003',
                    'body': "gateway down",
                    }])
        for _ in range(6):
            Notification.send_queued()
        failed = Notification(failed.id)
        self.assertEqual((failed.state, failed.attempts), ('failed', 5))
        self.assertTrue(failed.error)

        config.set(
            'service_outbox', 'sms_url',
            'http://127.0.0.1:%s/sms' % self.http.server_address[1])
        Notification.send_queued()
        self.assertEqual(self.sms, [])
        Notification.retry([failed])
        failed = Notification(failed.id)
        self.assertEqual(
            (failed.state, failed.attempts, failed.error), ('sent', 1, None))
        self.assertEqual(self.sms, [
                {'to': '+8613800000003', 'text': "gateway down"}])
