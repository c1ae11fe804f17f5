# This file is part of the coastal customer service project.
"""The outbox sends each message at most once, whatever happens to the
process that sends it: killed in the middle of a run, or running beside
another run.

These tests work on a copy of the test database that other processes and
threads can open: a SQLite file in a temporary directory, or a PostgreSQL
database made from the test database as template."""
import contextlib
import http.server
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from unittest import mock

from trytond import backend, config
from trytond.cache import Cache
from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

from ..notification import CLAIM_SIZE

TRYTOND_CRON = Path(sys.executable).parent / 'trytond-cron'
MESSAGES = 300
# The gateway holds its answer to this text message until the sending
# process is killed: the kill lands in the middle of a claimed batch
KILLED_AT = 65
GATEWAY_DELAY = 0.02  # seconds the gateway takes to answer
TIMEOUT = 60  # seconds, for every wait on a process or the gateway


class Gateway(http.server.ThreadingHTTPServer):
    "A local SMS gateway that counts every text it receives"
    daemon_threads = True

    def __init__(self):
        super().__init__(('127.0.0.1', 0), GatewayHandler)
        self.received = Counter()
        self.lock = threading.Lock()
        self.held = threading.Event()
        self.release = threading.Event()

    @property
    def url(self):
        return 'http://127.0.0.1:%s/sms' % self.server_address[1]

    def receive(self, text):
        with self.lock:
            self.received[text] += 1
            count = sum(self.received.values())
        if count == KILLED_AT:
            self.held.set()
            self.release.wait(TIMEOUT)
        time.sleep(GATEWAY_DELAY)

    def handle_error(self, request, client_address):
        # The killed process leaves its connection broken
        pass


class GatewayHandler(http.server.BaseHTTPRequestHandler):

    def do_POST(self):
        length = int(self.headers['Content-Length'])
        self.server.receive(json.loads(self.rfile.read(length))['text'])
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def gateway():
    server = Gateway()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)


@contextlib.contextmanager
def database_copy(name):
    """Yield the directory of a copy of the test database named name, with
    its pool; drop it at the end"""
    directory = tempfile.mkdtemp(prefix='outbox-')
    path = config.get('database', 'path')
    config.set('database', 'path', directory)
    try:
        if backend.name == 'sqlite':
            copy = sqlite3.connect(os.path.join(directory, name + '.sqlite'))
            try:
                with Transaction().start(DB_NAME, 0) as transaction:
                    transaction.connection.backup(copy)
            finally:
                copy.close()
        else:
            # A template must have no connection
            backend.Database(DB_NAME).close()
            with Transaction().start(
                    None, 0, close=True, autocommit=True) as transaction:
                transaction.database.create(
                    transaction.connection, name, DB_NAME)
        try:
            Pool(name).init()
            yield directory
        finally:
            Pool.stop(name)
            Cache.drop(name)
            backend.Database(name).close()
            with Transaction().start(
                    None, 0, close=True, autocommit=True) as transaction:
                transaction.database.drop(transaction.connection, name)
    finally:
        config.set('database', 'path', path)
        shutil.rmtree(directory, ignore_errors=True)


def queue(database, count, prefix):
    "Queue count text messages, each with its own text; return their ids"
    with Transaction().start(database, 0):
        Notification = Pool().get('service_center.notification')
        notifications = Notification.create([{
                    'channel': 'sms',
                    'address': '+86138%08d' % i,
                    'body': '%s %03d' % (prefix, i),
                    } for i in range(count)])
        return [n.id for n in notifications]


def states(database):
    "Return the texts of the outbox by state"
    result = {}
    with Transaction().start(database, 0):
        Notification = Pool().get('service_center.notification')
        for notification in Notification.search([], order=[('id', 'ASC')]):
            result.setdefault(notification.state, []).append(
                notification.body)
    return result


class OutboxCrashTestCase(test_tryton._DBTestCase):
    "Test the outbox against killed and concurrent runs"
    module = 'service_outbox'

    def cron(self, database, directory, gateway, log, **settings):
        "Start trytond-cron once on the database, in its own process group"
        env = {k: v for k, v in os.environ.items()
            if not k.startswith('TRYTOND_')
            and k not in {'DB_NAME', 'DB_CACHE'}}
        env.update({
                'TRYTOND_DATABASE__URI': config.get('database', 'uri'),
                'TRYTOND_DATABASE__PATH': directory,
                'TRYTOND_SERVICE_OUTBOX__SMS_SENDER': 'http',
                'TRYTOND_SERVICE_OUTBOX__SMS_URL': gateway.url,
                'TRYTOND_SERVICE_OUTBOX__SMS_TIMEOUT': '5',
                })
        for key, value in settings.items():
            env['TRYTOND_SERVICE_OUTBOX__%s' % key.upper()] = value
        with open(log, 'a') as file:
            return subprocess.Popen(
                [TRYTOND_CRON, '-d', database, '--once', '-n', '1'],
                env=env, stdout=file, stderr=subprocess.STDOUT,
                start_new_session=True)

    @staticmethod
    def kill(process):
        "Kill the process and its workers, as a crash would"
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        process.wait(TIMEOUT)

    def test_killed_run_sends_nothing_twice(self):
        "A run killed mid-batch: nothing sent twice, nothing lost"
        database = 'outbox_crash_%s' % os.getpid()
        with database_copy(database) as directory, gateway() as server:
            log = os.path.join(directory, 'cron.log')
            self.assertEqual(states(database), {})
            queue(database, MESSAGES, 'crash')
            texts = {'crash %03d' % i for i in range(MESSAGES)}
            process = self.cron(database, directory, server, log)
            try:
                held = server.held.wait(TIMEOUT)
            finally:
                self.kill(process)
                server.release.set()
            self.assertTrue(held, Path(log).read_text())
            received = dict(server.received)
            killed = states(database)

            # Each text once; what was received before its answer is sent,
            # the message held by the gateway and the rest of its batch
            # are left sending, the others still wait
            self.assertEqual(set(received.values()), {1})
            self.assertEqual(len(received), KILLED_AT)
            self.assertEqual(
                {s: len(t) for s, t in killed.items()}, {
                    'sent': KILLED_AT - 1,
                    'sending': CLAIM_SIZE - (KILLED_AT - 1) % CLAIM_SIZE,
                    'queued': (
                        MESSAGES - KILLED_AT + 1 - CLAIM_SIZE
                        + (KILLED_AT - 1) % CLAIM_SIZE),
                    })
            self.assertEqual(set(killed['sent']) | set(killed['sending'])
                | set(killed['queued']), texts)
            self.assertLess(set(killed['sent']), set(received))
            self.assertLessEqual(
                set(received) - set(killed['sent']), set(killed['sending']))
            self.assertFalse(set(received) & set(killed['queued']))

            # The next run sends what waits and none of what was left
            # sending, now unknown
            process = self.cron(
                database, directory, server, log, sending_timeout='0')
            try:
                self.assertEqual(process.wait(TIMEOUT), 0)
            finally:
                self.kill(process)
            done = states(database)
            self.assertEqual(
                {s: len(t) for s, t in done.items()}, {
                    'sent': len(killed['sent']) + len(killed['queued']),
                    'unknown': len(killed['sending']),
                    })
            self.assertEqual(set(done['unknown']), set(killed['sending']))
            self.assertEqual(set(server.received.values()), {1})
            self.assertEqual(
                set(server.received),
                set(done['sent']) | (set(received) & set(done['unknown'])))
            sent_after = len(server.received) - len(received)
            self.assertEqual(sent_after, len(killed['queued']))
            print(
                "\n%s: %s messages; before the kill %s received, %s sent, "
                "%s left sending; after: %s unknown, %s sent by the next "
                "run, %s received twice" % (
                    backend.name, MESSAGES, len(received),
                    len(killed['sent']), len(killed['sending']),
                    len(done['unknown']), sent_after,
                    sum(c > 1 for c in server.received.values())))

    def test_concurrent_claims(self):
        "Two runs claiming at the same time claim different messages"
        database = 'outbox_claims_%s' % os.getpid()
        with database_copy(database):
            ids = queue(database, 3 * CLAIM_SIZE, 'claim')
            Notification = Pool(database).get('service_center.notification')
            lock_ids = Notification._lock_ids
            held, release = threading.Event(), threading.Event()
            claimed = {}

            def lock_and_hold(cls, domain, limit=None):
                result = lock_ids(domain, limit=limit)
                if threading.current_thread().name == 'first':
                    held.set()
                    release.wait(TIMEOUT)
                return result

            def claim():
                with Transaction().start(database, 0):
                    claimed[threading.current_thread().name] = [
                        n.id for n in Notification._claim([])]

            with mock.patch.object(
                    Notification, '_lock_ids', classmethod(lock_and_hold)):
                first = threading.Thread(target=claim, name='first')
                second = threading.Thread(target=claim, name='second')
                try:
                    first.start()
                    self.assertTrue(held.wait(TIMEOUT))
                    # The first run holds its claim, not yet committed
                    second.start()
                    second.join(2)
                    second_while_held = not second.is_alive()
                finally:
                    release.set()
                    first.join(TIMEOUT)
                    second.join(TIMEOUT)

            self.assertEqual(claimed, {
                    'first': ids[:CLAIM_SIZE],
                    'second': ids[CLAIM_SIZE:2 * CLAIM_SIZE],
                    })
            # PostgreSQL skips the rows the first run locked; SQLite, which
            # locks the whole database, makes the second run wait
            self.assertEqual(second_while_held, backend.name != 'sqlite')
            result = states(database)
            self.assertEqual(
                {s: len(t) for s, t in result.items()},
                {'sending': 2 * CLAIM_SIZE, 'queued': CLAIM_SIZE})
