# This file is part of the coastal customer service project.
"""A flood of failed logins against the server as the README's production
section runs it (gunicorn -w 2 -k sync --timeout 30): attackers with
made-up logins hammer the owner portal's login and the staff's JSON-RPC
login while an owner and a member of staff, logged in before, keep working.

No worker may die (gunicorn kills a worker that sleeps past its timeout)
and every request of the logged-in users is answered within a second:
failed logins are refused at once, never slowed down by sleeping.

The demo database is built by data/demo.py: in a temporary directory on
SQLite, or in a fresh database when TRYTOND_DATABASE_URI is postgresql://
(dropped at the end).
"""
import base64
import http.client
import json
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from demo_db import CONFIG, PASSWORD, REPO, demo_database, free_port

PYTHON = Path(sys.executable)
GUNICORN = PYTHON.parent / 'gunicorn'
STAFF = 'admin'
WORKERS = 2
WORKER_TIMEOUT = 30  # gunicorn's --timeout, as in production
SERVER_START_TIMEOUT = 90  # seconds, both workers load the pool
# The attackers' requests are waited for after it: one that slept past
# gunicorn's timeout would have had its worker killed
FLOOD_SECONDS = 25
ATTACKERS = 8  # threads per login endpoint
# Each attacker comes back with the same few made-up logins
LOGINS_PER_ATTACKER = 3
NORMAL_LIMIT = 1.0  # seconds for each request of a logged-in user
NORMAL_PAUSE = 0.2  # seconds between them


def portal_mobiles(output):
    "The portal owners' mobile numbers data/demo.py printed"
    owners = output.split('Owner portal:', 1)[1]
    return re.findall(r'^\s+(\+\d+)\s', owners, re.MULTILINE)


def workers(master):
    "The PIDs of the gunicorn master's worker processes"
    children = set()
    for stat in Path('/proc').glob('[0-9]*/stat'):
        try:
            fields = stat.read_text().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            children.add(int(stat.parent.name))
    return children


class Server:
    "gunicorn serving the database as in production, on a free port"

    def __init__(self, env, database, log):
        self.port = free_port()
        self.database = database
        self.log = log
        # trytond.conf as deployed: its [session] settings protect the
        # staff's login
        env = dict(env, TRYTOND_CONFIG=str(CONFIG),
            TRYTOND_DATABASE_NAMES=database)
        with open(log, 'w') as log_file:
            self.process = subprocess.Popen(
                [GUNICORN, '-w', str(WORKERS), '-k', 'sync',
                    '--timeout', str(WORKER_TIMEOUT),
                    '-b', '127.0.0.1:%s' % self.port,
                    'trytond.application:app'],
                cwd=REPO, env=env, stdout=log_file,
                stderr=subprocess.STDOUT)

    def wait(self):
        "Wait until both workers answer"
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        answered = 0
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail("gunicorn exited with %s:\n%s" % (
                        self.process.returncode, self.log.read_text()))
            try:
                status, _, _ = self.request(
                    'GET', '/%s/portal/' % self.database, timeout=10)
            except OSError:
                status = None
            answered = answered + 1 if status == 200 else 0
            if answered >= 2 * WORKERS and len(
                    workers(self.process.pid)) == WORKERS:
                return
            time.sleep(0.2)  # polling interval, the loop itself is bounded
        pytest.fail("gunicorn did not answer within %s s:\n%s" % (
                SERVER_START_TIMEOUT, self.log.read_text()))

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def request(self, method, path, data=None, headers=None, timeout=60):
        "Return the status, headers and body of one request"
        connection = http.client.HTTPConnection(
            '127.0.0.1', self.port, timeout=timeout)
        try:
            body = json.dumps(data) if data is not None else None
            connection.request(method, path, body, {
                    'Content-Type': 'application/json', **(headers or {})})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def portal_login(self, login, password):
        return self.request('POST', '/%s/portal/api/login' % self.database,
            {'login': login, 'password': password})

    def rpc(self, method, params, headers=None):
        return self.request('POST', '/%s/rpc/' % self.database,
            {'id': 1, 'method': method, 'params': params}, headers)

    def staff_login(self, login, password):
        return self.rpc('common.db.login', [
                login, {'password': password}, 'zh_CN'])


class NormalUser:
    """An owner on the portal and a member of staff in sao, logged in
    before the flood, each request timed"""

    def __init__(self, server, mobile):
        self.server = server
        status, headers, body = server.portal_login(mobile, PASSWORD)
        assert status == 200, body
        cookie = headers['Set-Cookie'].split(';', 1)[0]
        self.portal = {'Cookie': cookie}
        status, _, body = server.staff_login(STAFF, PASSWORD)
        assert status == 200, body
        user, session = json.loads(body)['result'][:2]
        self.staff = {'Authorization': 'Session ' + base64.b64encode(
                ('%s:%s:%s' % (STAFF, user, session)).encode()).decode()}
        self.latencies = []
        self.failures = []

    def once(self):
        calls = [
            ('portal me', lambda: self.server.request(
                    'GET', '/%s/portal/api/me' % self.server.database,
                    headers=self.portal)),
            ('staff preferences', lambda: self.server.rpc(
                    'model.res.user.get_preferences', [True, {}],
                    self.staff)),
            ]
        for name, call in calls:
            start = time.perf_counter()
            try:
                status, _, body = call()
            except OSError as exception:
                status, body = None, str(exception).encode()
            self.latencies.append(time.perf_counter() - start)
            if status != 200 or b'"error": [' in body:
                self.failures.append((name, status, body[:200]))

    def run(self, stop):
        while not stop.is_set():
            self.once()
            stop.wait(NORMAL_PAUSE)


def attack(login_call, prefix, number, stop, statuses, lock):
    "Fail to log in again and again with a few made-up logins"
    count = 0
    while not stop.is_set():
        login = '%s%s-%s@example.com' % (
            prefix, number, count % LOGINS_PER_ATTACKER)
        try:
            status, _, _ = login_call(login, 'not-the-password')
        except OSError as exception:
            status = type(exception).__name__
        with lock:
            statuses[status] += 1
        count += 1


@pytest.fixture(scope='module')
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp('flood')
    with demo_database() as demo:
        server = Server(demo.env, demo.name, path / 'gunicorn.log')
        try:
            server.wait()
            yield server, portal_mobiles(demo.output)
        finally:
            server.stop()


def test_login_flood(server):
    "Failed logins are refused at once: no worker dies, nobody waits"
    server, mobiles = server
    assert mobiles, "data/demo.py printed no portal owner"
    before = workers(server.process.pid)
    assert len(before) == WORKERS
    user = NormalUser(server, mobiles[0])
    user.once()

    stop, lock = threading.Event(), threading.Lock()
    portal, staff = Counter(), Counter()
    threads = [threading.Thread(target=user.run, args=(stop,))]
    for number in range(ATTACKERS):
        threads.append(threading.Thread(target=attack, args=(
                    server.portal_login, 'owner', number, stop, portal,
                    lock)))
        threads.append(threading.Thread(target=attack, args=(
                    server.staff_login, 'staff', number, stop, staff,
                    lock)))
    for thread in threads:
        thread.start()
    try:
        time.sleep(FLOOD_SECONDS)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=WORKER_TIMEOUT + 30)
    user.once()
    after = workers(server.process.pid)
    log = server.log.read_text()

    print("\nfailed logins fired in %s s: portal %s %s, staff %s %s"
        % (FLOOD_SECONDS, sum(portal.values()), dict(portal),
            sum(staff.values()), dict(staff)))
    print("logged-in user: %s requests, max %.3f s, mean %.3f s"
        % (len(user.latencies), max(user.latencies),
            sum(user.latencies) / len(user.latencies)))
    print("workers before %s, after %s" % (sorted(before), sorted(after)))

    assert 'WORKER TIMEOUT' not in log, log[-3000:]
    assert after == before, log[-3000:]
    assert user.failures == []
    assert max(user.latencies) < NORMAL_LIMIT
    # Every attempt was answered: refused (429) or failed (401)
    assert set(portal) <= {401, 429}, portal
    assert set(staff) <= {401, 429}, staff
    assert portal[429] > portal[401] > 0
    assert staff[429] > staff[401] > 0
