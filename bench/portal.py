# This file is part of the coastal customer service project.
"""Owners on the portal (the JSON endpoints of owner_portal and
owner_portal_request) through the production setup, on PostgreSQL.

    TRYTOND_DATABASE_URI=postgresql://tryton:tryton@127.0.0.1:5432/ \\
        .venv/bin/python bench/portal.py [--owners 1000000]

Needs PostgreSQL (without it, it says so and skips). Creates a throw-away
database with owner_portal_request (and its dependencies) activated and,
through the ORM, the skeleton: the company, one region of PROJECTS projects
with their buildings (240 units each), one customer centre serving them all
with the staff users as receptionists, an engineering department. Then in
SQL (INSERT ... SELECT, the same sizes and seed give the same rows):
- OWNERS parties of one mobile each (bench/common.populate_owners);
- a unit each, spread evenly over the projects, and its ownership;
- a web user each, logging in with the owner's mobile (an e-mail for the
  owners whose number is shared), all with the one password hash
  WebUser.hash_password made for the first (hashing a million passwords
  would take hours);
- HISTORY closed requests of each browsing owner, and OTHERS closed
  requests scattered over the other owners (received 40 to 400 days ago,
  out of the same-problem alarm's window).
Each of these is a copy of a row the ORM wrote for the first owner
(common.clone_rows). The server is gunicorn (-w 2 -k sync on 127.0.0.1, a
free port, trytond.application:app), stopped at the end, also on error.
The clients are threads of this process, each an owner's phone with its
own login, session cookie and CSRF token, as the page sends them (language
zh_CN, the page's default; only English is loaded in the database).

Phases:
(a) paced: BROWSERS owners, each logged in once, every 2 to 5 s (a pause
    drawn from the seed) read their list (GET api/requests, 80%) or submit
    a request without photos (POST api/requests, 20%), for DURATION s:
    latency of each kind, errors;
(b) saturation: for each CONCURRENCY, as many clients without pause, each
    the connection of a crowd of CROWD other owners taking turns (drawn
    from a seed; the submissions spread over many lists, as in life): the
    baseline, staff users (receptionists, a login each) reading the same
    owners' rows, drawn in the same order, with a bare JSON-RPC
    model.service_center.request.search_read (same domain, order, limit
    and fields as the portal's list), and the portal's reads alone, in
    ROUNDS turns of SECONDS / ROUNDS each (both see the same state of
    the machine); then the portal's 80/20 mix for SECONDS: requests per
    second and latency.
CPU per operation: the user + system time of the gunicorn processes and
of every postgres process of the machine; the clients share the
machine's cores with them. Who kept the machine busy is printed under each
phase: when "other processes" (tests, another benchmark) is more than a
few percent, the figures are those of a shared machine.

At 1 M owners the setup takes about 5 minutes, more than 2 of them for
the web users: web_user's hash index on COALESCE(email, '') gives every
owner without an e-mail the same key, and each insert walks that
bucket's overflow chain.

Targets from the issue: (a) with 50 owners p95 < 100 ms for reads and
< 200 ms for submissions, no error; (b) requests/s at saturation reported
next to the bare JSON-RPC read of the same rows.
"""
import argparse
import contextlib
import datetime as dt
import http.client
import http.cookies
import json
import os
import random
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402,I001  (sets the environment before trytond)

import intake  # noqa: E402  (its gunicorn server and JSON-RPC client)

TARGET_OWNERS = 1_000_000
TARGET_BROWSERS = 50
TARGET_READ_P95 = 0.1
TARGET_SUBMIT_P95 = 0.2
PASSWORD = 'harbour-view-2026'
STAFF_PASSWORD = intake.PASSWORD
PROJECTS = 10
UNITS_PER_BUILDING = 240  # 2 entrances x 30 floors x 4 rooms
READ_SHARE = 0.8
LIST_LIMIT = 200  # as owner_portal_request.api get_requests
KINDS = ['repair', 'complaint', 'enquiry']
CATEGORIES = [
    'property_service', 'construction_repair', 'common_upkeep',
    'common_rectification']
DESCRIPTIONS = [
    'Water drips from the kitchen pipe.',
    'The corridor light on our floor is out.',
    'The lift stops between floors 12 and 13.',
    'Cracks in the bathroom tiles since the winter.',
    'The entrance door does not lock.',
    ]
# What the portal's list shows of each request, read with JSON-RPC
RPC_FIELDS = [
    'number', 'kind:string', 'category:string', 'state', 'state:string',
    'received_at', 'unit.rec_name', 'project.rec_name', 'location',
    'description']


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--owners', type=int, default=TARGET_OWNERS)
    parser.add_argument(
        '--browsers', type=int, default=TARGET_BROWSERS,
        help="owners of the paced phase (default %(default)s)")
    parser.add_argument(
        '--duration', type=float, default=60,
        help="seconds of the paced phase (default %(default)s)")
    parser.add_argument(
        '--pause', type=float, nargs=2, default=(2, 5),
        metavar=('MIN', 'MAX'),
        help="seconds between an owner's requests (default 2 5)")
    parser.add_argument(
        '--concurrency', type=int, nargs='+', default=[8, 16],
        help="clients of the saturation runs (default 8 16)")
    parser.add_argument(
        '--seconds', type=float, default=20,
        help="duration of each saturation run (default %(default)s)")
    parser.add_argument(
        '--crowd', type=int, default=10,
        help="owners behind each client of the saturation runs, taking "
        "turns (default %(default)s)")
    parser.add_argument(
        '--rounds', type=int, default=4,
        help="turns of the baseline and the portal's reads in a "
        "saturation run (default %(default)s)")
    parser.add_argument(
        '--history', type=int, default=5,
        help="requests of each browsing owner (default %(default)s)")
    parser.add_argument(
        '--others', type=int, default=None,
        help="requests of the other owners (default half the owners)")
    parser.add_argument(
        '--workers', type=int, default=2,
        help="gunicorn processes (default %(default)s)")
    parser.add_argument('--seed', type=int, default=2026)
    parser.add_argument(
        '--keep', action='store_true',
        help="do not drop the database at the end")
    args = parser.parse_args()
    if args.others is None:
        args.others = args.owners // 2
    return args


def unreachable():
    "Why PostgreSQL cannot be reached, or None"
    from trytond.transaction import Transaction
    try:
        with Transaction().start(None, 0, close=True) as transaction:
            transaction.database.list()
    except Exception as exception:
        return str(exception).strip() or type(exception).__name__
    return None


# Data ------------------------------------------------------------------------

def setup(name, owners, staff):
    """Create through the ORM the company, the region, its projects and
    buildings, the centre with the staff as receptionists and a department;
    return the context, the staff's logins and the skeleton"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    per_project = -(-owners // PROJECTS)
    buildings_per_project = -(-per_project // UNITS_PER_BUILDING)
    with Transaction().start(name, 0) as transaction:
        pool = Pool()
        Region = pool.get('service_center.region')
        Project = pool.get('service_center.project')
        Center = pool.get('service_center.center')
        Building = pool.get('service_center.building')
        Department = pool.get('service_center.department')
        context = common.create_company()
        company = context['company']
        logins = ['staff%02d' % i for i in range(1, staff + 1)]
        users = [common.create_user(
                login, ['group_receptionist'], password=STAFF_PASSWORD,
                company=company)
            for login in logins]
        region, = Region.create([{
                    'name': 'Bench Region', 'code': 'BR',
                    'company': company}])
        projects = Project.create([{
                    'name': 'Project %02d' % (p + 1),
                    'code': 'P%02d' % (p + 1), 'region': region.id,
                    'first_handover_date': dt.date(2018 + p % 6, 6, 30),
                    } for p in range(PROJECTS)])
        Center.create([{
                    'name': 'Bench Centre', 'code': 'BC',
                    'region': region.id,
                    'projects': [('add', [p.id for p in projects])],
                    'receptionists': [('create', [
                                {'user': u.id} for u in users])],
                    }])
        engineer = common.create_user(
            'engineer', ['group_responder'], mobile='13900000101',
            email='engineer@example.com', company=company)
        Department.create([{
                    'name': 'Engineering', 'kind': 'engineering',
                    'region': region.id, 'responsible': engineer.id}])
        buildings = Building.create([{
                    'project': p.id, 'name': str(b + 1), 'entrances': 2,
                    'floors': 30,
                    } for p in projects for b in range(buildings_per_project)])
        # The SQL below computes ids from the first ones
        for records in [projects, buildings]:
            ids = [r.id for r in records]
            assert ids == list(range(ids[0], ids[0] + len(ids))), ids[:10]
        transaction.commit()
    skeleton = {
        'project': projects[0].id,
        'building': buildings[0].id,
        'per_project': per_project,
        'buildings_per_project': buildings_per_project,
        'handover': dt.date.today() - dt.timedelta(days=400),
        }
    return context, logins, skeleton


def unit_sql(skeleton, k):
    """The SQL expressions of the unit of the owner of 0-based index k (an
    SQL expression)"""
    values = dict(skeleton, k=k, per=UNITS_PER_BUILDING)
    p = '((%(k)s) / %(per_project)d)' % values
    r = 'mod(%(k)s, %(per_project)d)' % values
    values.update(p=p, r=r)
    b = '(%(r)s / %(per)d)' % values
    u = 'mod(%(r)s, %(per)d)' % values
    values.update(b=b, u=u)
    floor = '(mod(%(u)s, 120) / 4 + 1)' % values
    room = 'CAST(%s * 100 + mod(%s, 4) + 1 AS VARCHAR)' % (floor, u)
    entrance = 'CAST(%s / 120 + 1 AS VARCHAR)' % u
    return {
        'project': '%(project)d + %(p)s' % values,
        'building': '%(building)d + %(p)s * %(buildings_per_project)d + '
        '%(b)s' % values,
        'entrance': entrance,
        'floor': floor,
        'room': room,
        'code': "CAST(%s + 1 AS VARCHAR) || '-' || %s || '-' || %s" % (
            b, entrance, room),
        }


def choose_browsers(owners, count, rng):
    "count owner indexes (1-based) with a number of their own, not the first"
    candidates = [i for i in range(2, owners + 1)
        if i % common.SHARE_EVERY not in (0, common.SHARE_EVERY - 1)]
    if len(candidates) < count:
        raise SystemExit('%d owners are too few for %d browsing owners' % (
                owners, count))
    return rng.sample(candidates, count)


def populate(name, context, skeleton, args, browsers):
    """Fill the database in SQL: owners, units, ownerships, web users and
    requests; return the id of the first owner and of its unit"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    party_base = common.populate_owners_reported(name, args.owners)
    if party_base is None:
        raise SystemExit('owners left NOT NULL columns empty')
    owners = args.owners
    tables = [
        'service_center_unit', 'service_center_ownership', 'web_user',
        'service_center_request']
    steps = []

    def step(label, function, *args, **kwargs):
        with common.Timer() as timer:
            result = function(*args, **kwargs)
        steps.append('%s %.1f s' % (label, timer.seconds))
        return result
    start = time.perf_counter()
    with Transaction().start(
            name, common.USER, context=context) as transaction:
        pool = Pool()
        Unit = pool.get('service_center.unit')
        Ownership = pool.get('service_center.ownership')
        WebUser = pool.get('web.user')
        Request = pool.get('service_center.request')
        # The first owner's rows, through the ORM: the templates
        unit, = Unit.create([{
                    'project': skeleton['project'],
                    'building': skeleton['building'],
                    'entrance': '1', 'floor': 1, 'room': '101',
                    'code': '1-1-101', 'handover_date': skeleton['handover'],
                    }])
        ownership, = Ownership.create([{
                    'unit': unit.id, 'party': party_base, 'role': 'owner',
                    'start_date': skeleton['handover'],
                    }])
        web_user, = WebUser.create([{
                    'party': party_base, 'mobile': common.owner_number(1),
                    'password': PASSWORD,
                    }])
        request = Request(
            kind='repair', category='construction_repair', channel='desk',
            party=party_base, unit=unit,
            description=DESCRIPTIONS[0])
        request.on_change_unit()
        request.save()
        Request.register([request])

        # The other owners' copies, k = s.i their 0-based index
        base = step('units', common.clone_rows,
            'service_center_unit', unit.id, owners - 1,
            unit_sql(skeleton, 's.i'))
        assert base == unit.id, (base, unit.id)
        step('ownerships', common.clone_rows,
            'service_center_ownership', ownership.id, owners - 1, {
                'unit': '%d + s.i' % unit.id,
                'party': '%d + s.i' % party_base,
                })
        shared = 'mod(s.i + 1, %d) = 0' % common.SHARE_EVERY
        step('web users', common.clone_rows,
            'web_user', web_user.id, owners - 1, {
                'party': '%d + s.i' % party_base,
                'mobile': 'CASE WHEN %s THEN NULL ELSE ('
                'SELECT m.value_compact FROM party_contact_mechanism AS m '
                "WHERE m.party = %d + s.i AND m.type = 'mobile') END" % (
                    shared, party_base),
                'email': "CASE WHEN %s THEN 'owner' || (s.i + 1) || "
                "'@example.com' END" % shared,
                })

        def request_copies(label, count, owner, prefix):
            "count copies of the request for the owner (1-based, SQL)"
            k = '(%s - 1)' % owner
            place = unit_sql(skeleton, k)
            # 40 to 400 days ago, closed 4 days later
            received = ("(t.received_at - INTERVAL '40 days' - "
                'mod(CAST(s.i AS BIGINT) * 7919, 360 * 86400) '
                "* INTERVAL '1 second')")
            step(label, common.clone_rows,
                'service_center_request', request.id, count, {
                    'party': '%d + %s' % (party_base, k),
                    'unit': '%d + %s' % (unit.id, k),
                    'project': place['project'],
                    'building': place['building'],
                    'number': "'%s' || lpad(CAST(s.i AS VARCHAR), 8, '0')"
                    % prefix,
                    'received_at': received,
                    'received_date': 'CAST(%s AS DATE)' % received,
                    'state': "'closed'",
                    'resolved_at': received + " + INTERVAL '2 days'",
                    'closed_at': received + " + INTERVAL '4 days'",
                    'create_date': received,
                    'write_date': received + " + INTERVAL '4 days'",
                    })
        if args.history:
            request_copies('their requests', len(browsers) * args.history,
                '(ARRAY[%s])[(s.i - 1) / %d + 1]' % (
                    ', '.join(map(str, browsers)), args.history), 'KB')
        if args.others:
            request_copies('other requests', args.others,
                '(mod(CAST(s.i AS BIGINT) * %d, %d) + 1)' % (
                    common.MULTIPLIER, owners), 'KO')
        missing = step('check', common.check_not_null, tables)
        step('commit', transaction.commit)
    step('vacuum analyze', common.analyze, name,
        tables + ['party_party', 'party_contact_mechanism'])
    print('%d units, ownerships and web users, %d requests in SQL (copies '
        'of the first owner\'s, written by the ORM): %.1f s (%s)' % (
            owners, 1 + len(browsers) * args.history + args.others,
            time.perf_counter() - start, ', '.join(steps)))
    if missing:
        raise SystemExit('NOT NULL columns left empty: ' + ', '.join(missing))
    return party_base, unit.id


def sizes(name):
    "Rows of the tables the portal reads"
    from trytond.transaction import Transaction
    with Transaction().start(name, 0, readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        counts = {}
        for table in ['party_party', 'party_contact_mechanism',
                'service_center_unit', 'service_center_ownership',
                'web_user', 'service_center_request']:
            cursor.execute('SELECT COUNT(*) FROM "%s"' % table)
            counts[table] = cursor.fetchone()[0]
        cursor.execute('SELECT pg_size_pretty(pg_database_size(%s))', (name,))
        size, = cursor.fetchone()
        settings = []
        for setting in ['shared_buffers', 'work_mem', 'effective_cache_size',
                'synchronous_commit', 'fsync', 'jit', 'max_connections']:
            cursor.execute('SHOW %s' % setting)
            settings.append('%s %s' % (setting, cursor.fetchone()[0]))
    return counts, size, settings


# Clients ---------------------------------------------------------------------

class PortalError(Exception):
    pass


class Owner:
    "An owner's phone: its login, session cookie and CSRF token"

    def __init__(self, port, database, index, party, seed):
        self.connection = http.client.HTTPConnection(
            '127.0.0.1', port, timeout=300)
        self.path = '/%s/portal/api/' % database
        self.party = party
        self.rng = random.Random(seed)
        self.headers = {'X-Portal-Language': 'zh_CN'}
        # as the owner types the number: national, without +86
        data, headers = self.send('POST', 'login', {
                'login': common.owner_number(index), 'password': PASSWORD})
        cookie = http.cookies.SimpleCookie()
        for header in headers.get_all('Set-Cookie') or []:
            cookie.load(header)
        self.headers['Cookie'] = 'portal_session=%s' % (
            cookie['portal_session'].value)
        self.headers['X-CSRF-Token'] = data['csrf_token']
        self.unit = self.send('GET', 'choices')[0]['units'][0]['id']

    def send(self, method, path, data=None):
        "Send the request; return the answer's JSON and headers"
        headers = dict(self.headers)
        body = None
        if data is not None:
            body = json.dumps(data)
            headers['Content-Type'] = 'application/json'
        for attempt in range(2):
            try:
                self.connection.request(
                    method, self.path + path, body, headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError,
                    BrokenPipeError):
                # the server closed the connection it kept: once again
                self.connection.close()
                if attempt:
                    raise
        if response.status != 200:
            raise PortalError('%s %s: HTTP %s %s' % (
                    method, path, response.status, content[:200]))
        return json.loads(content), response.headers

    def read(self):
        "Read the list; return its length"
        return len(self.send('GET', 'requests')[0]['requests'])

    def submit(self):
        rng = self.rng
        data, _ = self.send('POST', 'requests', {
                'unit': self.unit, 'kind': rng.choice(KINDS),
                'category': rng.choice(CATEGORIES),
                'description': rng.choice(DESCRIPTIONS),
                })
        if not data.get('number'):
            raise PortalError('submitted without a number: %s' % data)
        return 1

    def mixed(self):
        "Read (80%) or submit (20%); return the kind and the rows"
        if self.rng.random() < READ_SHARE:
            return 'read', self.read()
        return 'submit', self.submit()


class Crowd:
    "Owners taking turns on one connection's worth of load"

    def __init__(self, owners, seed):
        self.owners = owners
        self.rng = random.Random(seed)

    def read(self):
        return self.rng.choice(self.owners).read()

    def mixed(self):
        return self.rng.choice(self.owners).mixed()


class Staff(intake.Client):
    "A receptionist reading owners' lists with bare JSON-RPC"

    def __init__(self, port, database, login):
        super().__init__(port, database, login)
        self.look_after([], 0)

    def look_after(self, parties, seed):
        "Read the lists of the parties, drawn as a Crowd of seed draws"
        self.parties = parties
        self.rng = random.Random(seed)

    def read(self):
        return len(self.call(
                'model.service_center.request.search_read', [
                    ('party', '=', self.rng.choice(self.parties)),
                    ('state', '!=', 'draft'),
                    ], 0, LIST_LIMIT,
                [('received_at', 'DESC'), ('id', 'DESC')],
                RPC_FIELDS, self.context))


def log_in(make, items, threads=4):
    "Create the clients make(item) with a few threads; return them in order"
    clients = [None] * len(items)

    def work(offset):
        for k in range(offset, len(items), threads):
            clients[k] = make(items[k])
    errors = intake.run_threads(
        [lambda o=o: work(o) for o in range(threads)])
    if errors:
        raise errors[0]
    return clients


# Phases ----------------------------------------------------------------------

class Usage:
    """Wall-clock and CPU seconds over one or more spans: the gunicorn
    processes', PostgreSQL's (every postgres process on the machine), this
    process's (the clients) and the machine's busy share"""

    def __init__(self, server):
        self.server = server
        self.seconds = self.server_cpu = self.pg_cpu = self.client_cpu = 0
        self.busy_jiffies = self.jiffies = 0

    def snapshot(self):
        own = os.times()
        return (time.perf_counter(), self.server.cpu(), postgres_cpu(),
            own.user + own.system) + intake.machine_cpu()

    @contextlib.contextmanager
    def span(self):
        before = self.snapshot()
        yield self
        after = self.snapshot()
        delta = [a - b for a, b in zip(after, before)]
        self.seconds += delta[0]
        self.server_cpu += delta[1]
        self.pg_cpu += delta[2]
        self.client_cpu += delta[3]
        self.busy_jiffies += delta[4]
        self.jiffies += delta[5]

    @property
    def busy(self):
        return self.busy_jiffies / max(1, self.jiffies)

    def shares(self):
        """The machine's busy share and its parts: gunicorn, PostgreSQL,
        the clients, the other processes"""
        capacity = max(self.seconds, 1e-9) * (os.cpu_count() or 1)
        busy = self.busy
        parts = [c / capacity
            for c in [self.server_cpu, self.pg_cpu, self.client_cpu]]
        return [busy] + parts + [max(0, busy - sum(parts))]


def postgres_cpu():
    "CPU seconds of the processes named postgres"
    ticks = os.sysconf('SC_CLK_TCK')
    total = 0
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as file:
                stat = file.read()
        except OSError:
            continue
        command, fields = stat.split('(', 1)[1].rsplit(')', 1)
        if command == 'postgres':
            fields = fields.split()
            total += int(fields[11]) + int(fields[12])
    return total / ticks


class Run:
    "Latencies by kind, rows read, errors and CPU of a phase"

    def __init__(self, server, clients):
        self.clients = clients
        self.latencies = {}
        self.rows = []
        self.errors = []
        self.usage = Usage(server)

    def record(self, kind, seconds, rows):
        self.latencies.setdefault(kind, []).append(seconds)
        if kind == 'read':
            self.rows.append(rows)

    def once(self, client, operation):
        start = time.perf_counter()
        try:
            kind, rows = operation(client)
        except (PortalError, intake.RPCError, OSError,
                http.client.HTTPException) as exception:
            self.errors.append(exception)
        else:
            self.record(kind, time.perf_counter() - start, rows)

    @property
    def count(self):
        return sum(map(len, self.latencies.values()))

    @property
    def rate(self):
        return self.count / max(self.usage.seconds, 1e-9)

    def submissions(self):
        return len(self.latencies.get('submit', []))


def mixed(client):
    return client.mixed()


def reads(client):
    return 'read', client.read()


def paced(server, owners, seconds, pause, seed):
    "Each owner reads or submits, then waits pause seconds"
    run = Run(server, owners)
    lo, hi = pause
    deadline = time.monotonic() + seconds

    def owner(client, k):
        rng = random.Random(seed * 1000 + k)
        time.sleep(rng.uniform(0, hi))
        while time.monotonic() < deadline:
            run.once(client, mixed)
            time.sleep(rng.uniform(lo, hi))
    with run.usage.span():
        run.errors += intake.run_threads(
            [lambda c=c, k=k: owner(c, k) for k, c in enumerate(owners)])
    return run


def saturate(run, operation, seconds):
    "The clients of the run call without pause for seconds"
    deadline = time.monotonic() + seconds

    def loop(client):
        while time.monotonic() < deadline:
            run.once(client, operation)
    with run.usage.span():
        run.errors += intake.run_threads(
            [lambda c=c: loop(c) for c in run.clients])
    return run


# Report ----------------------------------------------------------------------

def ms(value):
    return value * 1000


HEADER = '%-34s %7s %5s %6s %6s %6s %6s %6s %7s %7s %5s %5s' % (
    'phase', 'clients', 'ops', 'ops/s', 'p50', 'p95', 'p99', 'max',
    'gunicrn', 'postgre', 'busy', 'rows')
UNITS = '%-34s %7s %5s %6s %6s %6s %6s %6s %7s %7s %5s %5s' % (
    '', '', '', '', 'ms', 'ms', 'ms', 'ms', 'CPU/op', 'CPU/op', '', 'read')


def row(label, clients, values, seconds, usage=None, rows=None):
    "One line of the table; the CPU per operation when usage is given"
    values = values or [0]
    cpu = pg = busy = ''
    if usage is not None:
        cpu = '%.1f ms' % ms(usage.server_cpu / len(values))
        pg = '%.1f ms' % ms(usage.pg_cpu / len(values))
        busy = '%.0f%%' % (usage.busy * 100)
    return '%-34s %7s %5d %6.1f %6.1f %6.1f %6.1f %6.1f %7s %7s %5s %5s' % (
        label, clients, len(values), len(values) / max(seconds, 1e-9),
        ms(common.percentile(values, 0.5)),
        ms(common.percentile(values, 0.95)),
        ms(common.percentile(values, 0.99)), ms(max(values)), cpu, pg,
        busy, '%.1f' % (sum(rows) / len(rows)) if rows else '')


def print_shares(runs):
    "The machine's busy share during the runs, and who used it"
    shares = [r.usage.shares() for r in runs]
    print('    machine busy %s: gunicorn %s, postgres %s, clients %s, other '
        'processes %s' % tuple('/'.join('%.0f%%' % (s[i] * 100)
                for s in shares) for i in range(5)))


KIND_LABELS = {'read': 'GET api/requests', 'submit': 'POST api/requests'}


def print_run(run, label, split=True):
    "Print the run's line and, when split, one line per kind"
    seconds = run.usage.seconds
    everything = [v for values in run.latencies.values() for v in values]
    print(row(label, str(len(run.clients)), everything, seconds, run.usage,
            run.rows))
    if not split:
        return
    for kind in ['read', 'submit']:
        values = run.latencies.get(kind)
        if values:
            print(row('  ' + KIND_LABELS[kind], '', values, seconds,
                    rows=run.rows if kind == 'read' else None))


# Main ------------------------------------------------------------------------

def main():
    args = parse_args()
    if common.BACKEND != 'postgresql':
        print('bench/portal.py needs PostgreSQL (the server is gunicorn '
            'with several processes): set TRYTOND_DATABASE_URI='
            'postgresql://user:password@host:5432/ ; SKIPPED')
        return 0
    reason = unreachable()
    if reason:
        print('bench/portal.py: PostgreSQL unreachable (%s); SKIPPED' % (
                reason.splitlines()[0]))
        return 0
    # a kill runs the finally clauses: the server stops, the database goes
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    rng = random.Random(args.seed)
    name = common.database_name('bench_portal')
    common.print_start()
    common.create_database_reported(
        name, keep=args.keep, modules=('service_kpi', 'owner_portal_request'))
    staff = max(args.concurrency)
    with common.Timer() as timer:
        context, logins, skeleton = setup(name, args.owners, staff)
    print('skeleton through the ORM (company, region, %d projects, %d '
        'buildings, centre, department, %d staff): %.1f s' % (
            PROJECTS, PROJECTS * skeleton['buildings_per_project'], staff,
            timer.seconds))
    browsers = choose_browsers(
        args.owners, args.browsers + sum(args.concurrency) * args.crowd,
        rng)
    party_base, _ = populate(name, context, skeleton, args, browsers)
    counts, size, settings = sizes(name)
    print('sizes: %s; database %s' % (', '.join(
                '%s %d' % (t, c) for t, c in counts.items()), size))
    print('PostgreSQL: %s' % ', '.join(settings))
    print('settings: %d browsing owners (%d requests each to start with), '
        'a pause of %g-%g s, %.0f s; saturation with %s clients of %d '
        'owners each, %.0f s each (reads in %d turns); gunicorn -w %d -k '
        'sync; seed %d' % (
            args.browsers, args.history, args.pause[0], args.pause[1],
            args.duration, ', '.join(map(str, args.concurrency)),
            args.crowd, args.seconds, args.rounds, args.workers, args.seed))

    submitted = 0
    errors = []
    server = None
    try:
        with common.Timer() as timer:
            server = intake.Server(name, args.workers)
            owners = log_in(lambda k: Owner(
                    server.port, name, browsers[k], party_base
                    + browsers[k] - 1, args.seed + k),
                list(range(len(browsers))))
            staff_clients = log_in(
                lambda login: Staff(server.port, name, login), logins)
        print('gunicorn -w %d -k sync on 127.0.0.1:%d (workers %s); %d '
            'owners and %d staff logged in: %.1f s' % (
                args.workers, server.port,
                ', '.join(map(str, server.workers())), len(owners),
                len(staff_clients), timer.seconds))
        # Warm-up of both workers: reads of every list, a few submissions
        warm = saturate(Run(server, owners[:8]), mixed, 10)
        short = [o for o in owners if o.read() < args.history]
        for member in staff_clients:
            member.look_after([owners[0].party], 0)
            member.read()
        submitted += warm.submissions()
        errors += warm.errors
        if short:
            errors.append(PortalError(
                    '%d owners see fewer than %d requests' % (
                        len(short), args.history)))
        submitted, errors = measure(
            args, server, owners, staff_clients, submitted, errors)
    finally:
        if server:
            server.stop()
    problems = check(name, submitted)
    common.print_load('end')
    for problem in problems:
        print(problem.upper())
    return 1 if errors or problems else 0


def measure(args, server, owners, staff_clients, submitted, errors):
    "Run the phases and print their figures; return submitted, errors"
    runs = []
    paced_owners, others = owners[:args.browsers], owners[args.browsers:]
    run = paced(server, paced_owners, args.duration, args.pause, args.seed)
    runs.append(run)
    print()
    print(HEADER)
    print(UNITS)
    print_run(run, '(a) paced, a call every %g-%g s' % tuple(args.pause))
    print_shares([run])
    read_p95 = common.percentile(run.latencies.get('read') or [1e9], 0.95)
    submit_p95 = common.percentile(
        run.latencies.get('submit') or [1e9], 0.95)
    paced_errors = len(run.errors)

    saturation = []
    for clients in args.concurrency:
        crowds, staff = [], staff_clients[:clients]
        for k, member in enumerate(staff):
            crowd, others = others[:args.crowd], others[args.crowd:]
            seed = args.seed * 1000 + clients * 100 + k
            crowds.append(Crowd(crowd, seed))
            member.look_after([o.party for o in crowd], seed)
        baseline, portal_reads = Run(server, staff), Run(server, crowds)
        # In turns, so that both see the same state of the machine
        for _ in range(args.rounds):
            saturate(baseline, reads, args.seconds / args.rounds)
            saturate(portal_reads, reads, args.seconds / args.rounds)
        mix = saturate(Run(server, crowds), mixed, args.seconds)
        runs += [baseline, portal_reads, mix]
        print_run(baseline, '(b) JSON-RPC search_read, baseline',
            split=False)
        print_run(portal_reads, '    portal GET api/requests alone',
            split=False)
        print_run(mix, '    portal mix 80/20')
        print_shares([baseline, portal_reads, mix])
        saturation.append((clients, baseline, portal_reads, mix))
    for run in runs:
        submitted += run.submissions()
        errors += run.errors
    print()
    for clients, baseline, portal_reads, mix in saturation:
        print('saturation, %d clients: portal reads %.1f /s = %.2fx the '
            'bare JSON-RPC read of the same rows (%.1f /s; server CPU '
            '%.1f vs %.1f ms a read); portal mix %.1f /s (%.1f reads + '
            '%.1f submissions)' % (
                clients, portal_reads.rate,
                portal_reads.rate / max(baseline.rate, 1e-9),
                baseline.rate,
                ms(portal_reads.usage.server_cpu / max(1, portal_reads.count)),
                ms(baseline.usage.server_cpu / max(1, baseline.count)),
                mix.rate,
                len(mix.latencies.get('read', [])) / mix.usage.seconds,
                mix.submissions() / mix.usage.seconds))
    if errors:
        print('ERRORS: %d, the first: %s' % (len(errors), errors[0]))
    if args.owners != TARGET_OWNERS or args.browsers != TARGET_BROWSERS:
        print('(%d owners and %d browsing here: the targets are for %d and '
            '%d)' % (args.owners, args.browsers, TARGET_OWNERS,
                TARGET_BROWSERS))
    print('target p95 < %.0f ms for reads (%d owners paced): %s (%.1f ms)' % (
            ms(TARGET_READ_P95), len(paced_owners),
            'PASS' if read_p95 < TARGET_READ_P95 else 'MISS', ms(read_p95)))
    print('target p95 < %.0f ms for submissions: %s (%.1f ms)' % (
            ms(TARGET_SUBMIT_P95),
            'PASS' if submit_p95 < TARGET_SUBMIT_P95 else 'MISS',
            ms(submit_p95)))
    print('no error in the paced phase: %s (%d)' % (
            'PASS' if not paced_errors else 'MISS', paced_errors))
    return submitted, errors


def check(name, submitted):
    "Count the requests the portal registered; return the problems"
    from trytond.transaction import Transaction
    with Transaction().start(name, 0, readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute(
            "SELECT COUNT(*), COUNT(number) FROM service_center_request "
            "WHERE channel = 'portal' AND state = 'registered'")
        count, numbered = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*) FROM service_center_request_deadline AS d "
            "JOIN service_center_request AS r ON r.id = d.request "
            "WHERE r.channel = 'portal'")
        deadlines, = cursor.fetchone()
        cursor.execute('SELECT COUNT(*) FROM service_center_alarm')
        alarms, = cursor.fetchone()
    print('left in the database: %d requests registered through the '
        'portal, %d deadlines, %d alarms' % (count, deadlines, alarms))
    if count != submitted or numbered != count or deadlines != 2 * count:
        return ['%d submissions but %d portal requests registered' % (
                submitted, count)]
    return []


if __name__ == '__main__':
    sys.exit(main())
