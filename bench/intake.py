# This file is part of the coastal customer service project.
"""A call centre's intake through the JSON-RPC server, on PostgreSQL.

    TRYTOND_DATABASE_URI=postgresql://tryton:tryton@127.0.0.1:5432/ \\
        .venv/bin/python bench/intake.py [--owners 1000000]

Needs PostgreSQL (without it, it says so and skips). Creates a throw-away
database with service_kpi (the customer centre as deployed), fills it with
OWNERS parties of one mobile each straight in SQL (as
bench/caller_lookup.py), gives CALLERS of them a unit of the one project
of the bench centre, creates the agents (each a receptionist of the centre
with a login of its own) and serves the
database with gunicorn (-w 2 -k sync, on 127.0.0.1, a free port) as
STACK.md advises. The clients are threads of this process; each logs in
once and keeps its session.

One intake is what an agent does for a call, three calls to the server:
1. caller recognition: the request form's on_change of the caller's phone
   (model.service_center.request.on_change), which runs
   Party.search_by_phone and fills in the owner, the unit, the project and
   the building (search_by_phone itself is not exposed over RPC);
2. model.service_center.request.create of the request;
3. its button model.service_center.request.register: number, SLA
   deadlines, same-problem alarm check, the owner's receipt in the outbox
   (sent after the commit by the default 'log' text sender).
The baseline, in the same run and through the same server: the bare party
round trip, model.party.party.search of a code + model.party.party.create
of a name.

Phases:
(a) one client, intakes and baselines alternately: cost ratio;
(b) capacity: CLIENTS clients without pause, intakes then baselines, each
    for SECONDS: completed operations per second;
(c) AGENTS agents each registering one request every few seconds (a pause
    of 2 to 4 s between calls): latency of the whole intake.
Server CPU is the user + system time of the gunicorn processes.

Targets from the module-split issue: (a) an intake costs at most 2.5x a
bare party create (+ search), with no ORM bypass; (b) >= 50 intakes/s
on 2 cores; (c) p95 < 100 ms for 20 agents.
"""
import argparse
import base64
import datetime as dt
import http.client
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402,I001  (sets the environment before trytond)

from rosters import spoken  # noqa: E402

TARGET_OWNERS = 1_000_000
TARGET_RATIO = 2.5
TARGET_RATE = 50
TARGET_P95 = 0.1
PASSWORD = 'bench-agent-2026'
CATEGORIES = [
    'property_service', 'construction_repair', 'common_upkeep',
    'common_rectification']
KINDS = ['repair', 'complaint', 'enquiry']


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--owners', type=int, default=TARGET_OWNERS)
    parser.add_argument(
        '--callers', type=int, default=5000,
        help="owners with a unit, who call (default %(default)s)")
    parser.add_argument(
        '--single', type=int, default=200,
        help="intakes and baselines of the one client (default "
        "%(default)s each)")
    parser.add_argument(
        '--clients', type=int, default=4,
        help="clients of the capacity phase (default %(default)s)")
    parser.add_argument(
        '--seconds', type=float, default=30,
        help="duration of each capacity run (default %(default)s)")
    parser.add_argument('--agents', type=int, default=20)
    parser.add_argument(
        '--agent-seconds', type=float, default=60,
        help="duration of the agents' phase (default %(default)s)")
    parser.add_argument(
        '--pause', type=float, nargs=2, default=(2, 4),
        metavar=('MIN', 'MAX'),
        help="seconds between an agent's calls (default 2 4)")
    parser.add_argument(
        '--workers', type=int, default=2,
        help="gunicorn processes (default %(default)s)")
    parser.add_argument('--seed', type=int, default=2026)
    parser.add_argument(
        '--keep', action='store_true',
        help="do not drop the database at the end")
    return parser.parse_args()


def setup(name, agents):
    """Create the company, the site and the agents; return the project,
    the building and the logins"""
    from trytond.transaction import Transaction
    with Transaction().start(name, 0) as transaction:
        context = common.create_company()
        company = context['company']
        logins = ['agent%02d' % i for i in range(1, agents + 1)]
        users = [common.create_user(
                login, ['group_receptionist'], password=PASSWORD,
                company=company)
            for login in logins]
        _, project, building = common.create_site(company, users)
        transaction.commit()
    return project.id, building.id, logins


def give_units(name, project, building, owners):
    "Give each owner (party ids) a unit of the building, through the ORM"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(name, 0) as transaction:
        pool = Pool()
        Unit = pool.get('service_center.unit')
        Ownership = pool.get('service_center.ownership')
        handover = dt.date.today() - dt.timedelta(days=400)
        for i in range(0, len(owners), 1000):
            batch = owners[i:i + 1000]
            units = Unit.create([{
                        'project': project, 'building': building,
                        'entrance': '1', 'floor': 1 + (i + k) // 100,
                        'room': str(i + k + 1),
                        'code': '1-1-%d' % (i + k + 1),
                        'handover_date': handover,
                        } for k in range(len(batch))])
            Ownership.create([{
                        'unit': u.id, 'party': p, 'role': 'owner',
                        'start_date': handover,
                        } for u, p in zip(units, batch)])
        transaction.commit()


def callers(count, owners, party_base, rng):
    """Return [(owner index, party id)] of count owners with a number of
    their own"""
    chosen = set()
    while len(chosen) < count:
        index = rng.randrange(2, owners)
        if (index % common.SHARE_EVERY) in (0, common.SHARE_EVERY - 1):
            continue  # shares its number with a neighbour
        chosen.add(index)
    return [(i, party_base + i - 1) for i in sorted(chosen)]


class RPCError(Exception):
    pass


class Client:
    "One agent: a login, its session, a connection to the server"

    def __init__(self, port, database, login):
        from trytond.protocols.jsonrpc import JSONDecoder, JSONEncoder
        self.encoder, self.decoder = JSONEncoder, JSONDecoder
        self.connection = http.client.HTTPConnection(
            '127.0.0.1', port, timeout=300)
        self.path = '/%s/rpc/' % database
        self.headers = {'Content-Type': 'application/json'}
        self.ids = itertools.count(1)
        user, session, _ = self.call(
            'common.db.login', login, {'password': PASSWORD}, 'en')
        self.headers['Authorization'] = 'Session ' + base64.b64encode(
            ('%s:%s:%s' % (login, user, session)).encode()).decode()
        self.context = self.call('model.res.user.get_preferences', True, {})

    def call(self, method, *params):
        body = json.dumps({
                'id': next(self.ids), 'method': method,
                'params': params}, cls=self.encoder)
        for attempt in range(2):
            try:
                self.connection.request(
                    'POST', self.path, body, self.headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError):
                # the server closed the connection it kept: once again
                self.connection.close()
                if attempt:
                    raise
        if response.status != 200:
            raise RPCError('%s: HTTP %s %s' % (
                    method, response.status, data[:200]))
        result = json.loads(data, object_hook=self.decoder())
        if result.get('error'):
            raise RPCError('%s: %s' % (method, str(result['error'])[:300]))
        return result['result']

    def intake(self, call):
        "Recognise the caller and register the request; return the times"
        typed, category, kind = call
        clock = time.perf_counter
        start = clock()
        changes = self.call(
            'model.service_center.request.on_change', {
                'id': -1, 'caller_phone': typed, 'party': None,
                'unit': None, 'project': None, 'building': None,
                }, ['caller_phone'], self.context)
        recognised = clock()
        if not changes.get('party') or not changes.get('unit'):
            raise RPCError('%s not recognised: %s' % (typed, changes))
        ids = self.call('model.service_center.request.create', [{
                    'kind': kind, 'category': category,
                    'channel': 'project_hotline',
                    'caller_phone': changes['caller_phone'],
                    'party': changes['party'], 'unit': changes['unit'],
                    'project': changes['project'],
                    'building': changes['building'],
                    'description': 'Water drips from the kitchen pipe.',
                    }], self.context)
        created = clock()
        self.call('model.service_center.request.register', ids, self.context)
        end = clock()
        return end - start, (recognised - start, created - recognised,
            end - created)

    def baseline(self, code, name):
        "Search a party by code and create one; return the times"
        clock = time.perf_counter
        start = clock()
        self.call(
            'model.party.party.search', [('code', '=', code)], 0, 1, None,
            self.context)
        searched = clock()
        self.call('model.party.party.create', [{'name': name}], self.context)
        end = clock()
        return end - start, (searched - start, end - searched)


class Server:
    "gunicorn serving the database on 127.0.0.1"

    def __init__(self, name, workers):
        with socket.socket() as probe:
            probe.bind(('127.0.0.1', 0))
            self.port = probe.getsockname()[1]
        self.directory = tempfile.TemporaryDirectory(prefix='bench-intake-')
        config = os.path.join(self.directory.name, 'trytond.conf')
        with open(config, 'w') as file:
            # The database comes from TRYTOND_DATABASE_URI (STACK.md: the
            # file would win over the environment)
            file.write('[web]\nlisten = 127.0.0.1:%d\n' % self.port)
        self.log = os.path.join(self.directory.name, 'gunicorn.log')
        env = dict(os.environ, TRYTOND_CONFIG=config,
            TRYTOND_DATABASE_NAMES=name)
        gunicorn = os.path.join(os.path.dirname(sys.executable), 'gunicorn')
        self.process = subprocess.Popen([
                gunicorn, '-w', str(workers), '-k', 'sync',
                '-b', '127.0.0.1:%d' % self.port, '--timeout', '300',
                '--error-logfile', self.log,
                'trytond.application:app'],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT)
        self.wait_ready(name)

    def wait_ready(self, name, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('gunicorn exited:\n' + self.tail())
            try:
                connection = http.client.HTTPConnection(
                    '127.0.0.1', self.port, timeout=5)
                connection.request('POST', '/rpc/', json.dumps({
                            'id': 0, 'method': 'common.server.version',
                            'params': []}),
                    {'Content-Type': 'application/json'})
                if connection.getresponse().status == 200:
                    connection.close()
                    # a worker answers once its pool is loaded; the
                    # warm-up of phase (a) covers the others
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError('gunicorn did not answer:\n' + self.tail())

    def tail(self, lines=20):
        try:
            with open(self.log) as file:
                return ''.join(file.readlines()[-lines:])
        except OSError:
            return ''

    def workers(self):
        "The pids of the workers"
        pids = []
        for entry in os.listdir('/proc'):
            if entry.isdigit():
                try:
                    with open('/proc/%s/stat' % entry) as file:
                        fields = file.read().rsplit(')', 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.process.pid:
                    pids.append(int(entry))
        return pids

    def cpu(self):
        "Seconds of CPU the master and its workers used"
        ticks = os.sysconf('SC_CLK_TCK')
        total = 0
        for pid in [self.process.pid] + self.workers():
            try:
                with open('/proc/%d/stat' % pid) as file:
                    fields = file.read().rsplit(')', 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / ticks

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.directory.cleanup()


def machine_cpu():
    "Busy and total jiffies of the machine, from /proc/stat"
    with open('/proc/stat') as file:
        values = [int(v) for v in file.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class Meter:
    "The server's and the machine's CPU during a phase"

    def __init__(self, server):
        self.server = server

    def __enter__(self):
        self.server_cpu = self.server.cpu()
        self.machine = machine_cpu()
        self.own = os.times()
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.server_cpu = self.server.cpu() - self.server_cpu
        busy, total = machine_cpu()
        self.busy = (busy - self.machine[0]) / max(1, total - self.machine[1])
        own = os.times()
        self.client_cpu = (own.user + own.system) - (
            self.own.user + self.own.system)


def run_threads(targets):
    errors = []

    def wrap(target):
        def run():
            try:
                target()
            except Exception as exception:
                errors.append(exception)
        return run
    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def ms(value):
    return value * 1000


def main():
    args = parse_args()
    if common.BACKEND != 'postgresql':
        print('bench/intake.py needs PostgreSQL (the server is gunicorn '
            'with several processes): set TRYTOND_DATABASE_URI='
            'postgresql://user:password@host:5432/ ; SKIPPED')
        return 0
    rng = random.Random(args.seed)
    name = common.database_name('bench_intake')
    common.print_start()
    common.create_database_reported(name, keep=args.keep)


    logins = max(args.agents, args.clients, 1)
    project, building, logins = setup(name, logins)
    party_base = common.populate_owners_reported(name, args.owners)
    if party_base is None:
        return 1
    who = callers(min(args.callers, args.owners // 2), args.owners,
        party_base, rng)
    with common.Timer() as timer:
        give_units(name, project, building, [p for _, p in who])
        common.analyze(name, ['service_center_unit',
                'service_center_ownership'])
    print('%d callers given a unit through the ORM: %.1f s' % (
            len(who), timer.seconds))
    calls = ((spoken(common.owner_number(i), rng), rng.choice(CATEGORIES),
            rng.choice(KINDS))
        for i, _ in iter(lambda: rng.choice(who), None))
    lock = threading.Lock()

    def next_call():
        with lock:
            return next(calls)
    codes = itertools.count(1)

    def next_baseline():
        with lock:
            k = next(codes)
            return ('B%07d' % rng.randrange(1, args.owners + 1),
                'Walk-in %d' % k)

    server = None
    try:
        with common.Timer() as timer:
            server = Server(name, args.workers)
            clients = [Client(server.port, name, login) for login in logins]
        print('gunicorn -w %d -k sync on 127.0.0.1:%d (workers %s); %d '
            'agents logged in: %.1f s' % (
                args.workers, server.port,
                ', '.join(map(str, server.workers())), len(clients),
                timer.seconds))
        intakes, errors = measure(
            args, server, clients, next_call, next_baseline)
    finally:
        if server:
            server.stop()
    problems = check(name, intakes)
    common.print_load('end')
    for problem in problems:
        print(problem.upper())
    return 1 if errors or problems else 0


def measure(args, server, clients, next_call, next_baseline):
    "Run the three phases and print their figures; return (intakes, errors)"
    intakes = 0
    errors = []

    # (a) one client
    client = clients[0]
    for _ in range(10):  # warm-up: caches of both workers
        client.intake(next_call())
        client.baseline(*next_baseline())
    intakes += 10
    single, steps, pairs, pair_steps = [], [], [], []
    cpu = {'intake': 0, 'baseline': 0}
    for _ in range(args.single):
        before = server.cpu()
        total, parts = client.intake(next_call())
        middle = server.cpu()
        single.append(total)
        steps.append(parts)
        total, parts = client.baseline(*next_baseline())
        cpu['intake'] += middle - before
        cpu['baseline'] += server.cpu() - middle
        pairs.append(total)
        pair_steps.append(parts)
    intakes += args.single
    intake_median, intake_p95 = common.summary(single)
    pair_median, pair_p95 = common.summary(pairs)
    create_median = common.summary([p[1] for p in pair_steps])[0]
    print('(a) one client, %d intakes and %d baselines alternately:' % (
            args.single, args.single))
    print('    %-38s median %6.1f ms  p95 %6.1f ms' % (
            'intake (3 calls):', ms(intake_median), ms(intake_p95)))
    for label, index in [
            ('recognition (on_change)', 0), ('create', 1),
            ('register', 2)]:
        median, p95 = common.summary([s[index] for s in steps])
        print('      %-36s median %6.1f ms  p95 %6.1f ms' % (
                label + ':', ms(median), ms(p95)))
    print('    %-38s median %6.1f ms  p95 %6.1f ms' % (
            'baseline party search + create:', ms(pair_median),
            ms(pair_p95)))
    print('      %-36s median %6.1f ms' % (
            'of which create:', ms(create_median)))
    ratio = intake_median / pair_median
    print('    ratio intake / baseline: %.2fx (median); intake / bare '
        'create alone: %.2fx' % (ratio, intake_median / create_median))
    print('    server CPU (gunicorn processes): intake %.1f ms, baseline '
        '%.1f ms, ratio %.2fx' % (
            ms(cpu['intake'] / args.single), ms(cpu['baseline'] / args.single),
            cpu['intake'] / max(cpu['baseline'], 1e-9)))

    # (b) capacity
    rates, per_op = {}, {}
    for kind in ['intake', 'baseline']:
        done, latencies = [], []
        deadline = time.monotonic() + args.seconds

        def loop(client, kind=kind):
            while time.monotonic() < deadline:
                try:
                    if kind == 'intake':
                        total, _ = client.intake(next_call())
                    else:
                        total, _ = client.baseline(*next_baseline())
                except RPCError as exception:
                    errors.append(exception)
                    continue
                done.append(1)
                latencies.append(total)
        with Meter(server) as meter:
            errors += run_threads(
                [lambda c=c: loop(c) for c in clients[:args.clients]])
        rates[kind] = len(done) / meter.seconds
        per_op[kind] = meter.server_cpu / max(1, len(done))
        if kind == 'intake':
            intakes += len(done)
        median, p95 = common.summary(latencies or [0])
        print('(b) %d clients without pause, %-8s: %6.1f /s  (median '
            '%6.1f ms, p95 %6.1f ms); server CPU %.1f ms each; machine '
            'busy %.0f%%, of which this client process %.0f%%' % (
                args.clients, kind + 's', rates[kind], ms(median),
                ms(p95), ms(meter.server_cpu / max(1, len(done))),
                meter.busy * 100,
                meter.client_cpu / meter.seconds / (os.cpu_count() or 1)
                * 100))
    cores = os.cpu_count() or 1
    print('    capacity ratio baseline / intake: %.2fx; ceiling of %d cores '
        'spent on the gunicorn processes alone (no PostgreSQL, no client): '
        '%.0f intakes/s, %.0f baselines/s' % (
            rates['baseline'] / rates['intake'], cores,
            cores / max(per_op['intake'], 1e-9),
            cores / max(per_op['baseline'], 1e-9)))

    # (c) agents
    latencies, agent_steps = [], []
    deadline = time.monotonic() + args.agent_seconds
    lo, hi = args.pause

    def agent(client, seed):
        rng = random.Random(seed)
        time.sleep(rng.uniform(0, hi))
        while time.monotonic() < deadline:
            try:
                total, parts = client.intake(next_call())
            except RPCError as exception:
                errors.append(exception)
            else:
                latencies.append(total)
                agent_steps.append(parts)
            time.sleep(rng.uniform(lo, hi))
    agents = clients[:args.agents]
    with Meter(server) as meter:
        errors += run_threads([lambda c=c, k=k: agent(c, args.seed + k)
                for k, c in enumerate(agents)])
    intakes += len(latencies)
    agent_median, agent_p95 = common.summary(latencies or [0])
    print('(c) %d agents, a call every %g-%g s each, %.0f s: %d intakes '
        '(%.1f /s); machine busy %.0f%%' % (
            len(agents), lo, hi, meter.seconds, len(latencies),
            len(latencies) / meter.seconds, meter.busy * 100))
    print('    %-38s median %6.1f ms  p95 %6.1f ms  max %6.1f ms' % (
            'intake (3 calls):', ms(agent_median), ms(agent_p95),
            ms(max(latencies or [0]))))
    for label, index in [
            ('recognition (on_change)', 0), ('create', 1),
            ('register', 2)]:
        median, p95 = common.summary([s[index] for s in agent_steps]
            or [0])
        print('      %-36s median %6.1f ms  p95 %6.1f ms' % (
                label + ':', ms(median), ms(p95)))

    if errors:
        print('ERRORS: %d, the first: %s' % (len(errors), errors[0]))
    if args.owners != TARGET_OWNERS:
        print('(%d owners here: the targets are for %d; recognition is '
            'one indexed look-up, bench/caller_lookup.py measures how it '
            'grows)' % (args.owners, TARGET_OWNERS))
    print('target intake <= %gx a bare party create + search (one client, '
        'median): %s (%.2fx)' % (
            TARGET_RATIO, 'PASS' if ratio <= TARGET_RATIO else 'MISS',
            ratio))
    print('target capacity >= %d intakes/s on %d cores: %s (%.1f /s)' % (
            TARGET_RATE, os.cpu_count() or 0,
            'PASS' if rates['intake'] >= TARGET_RATE else 'MISS',
            rates['intake']))
    print('target p95 < %.0f ms for %d agents: %s (%.1f ms)' % (
            ms(TARGET_P95), len(agents),
            'PASS' if agent_p95 < TARGET_P95 else 'MISS', ms(agent_p95)))
    return intakes, errors


def check(name, intakes):
    "Count what the intakes left in the database; return the problems"
    from trytond.transaction import Transaction
    with Transaction().start(name, 0, readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        counts = []
        for query in [
                "SELECT COUNT(*) FROM service_center_request "
                "WHERE state = 'registered'",
                'SELECT COUNT(*) FROM service_center_request_deadline',
                # Receipts leave with the outbox's scheduled action
                "SELECT COUNT(*) FROM service_center_notification "
                "WHERE party IS NOT NULL",
                'SELECT COUNT(*) FROM service_center_alarm',
                ]:
            cursor.execute(query)
            counts.append(cursor.fetchone()[0])
    print('left in the database: %d registered requests, %d deadlines, '
        '%d receipts in the outbox, %d alarms' % tuple(counts))
    if counts[0] != intakes or counts[1] != 2 * intakes:
        return ['%d intakes but %d requests registered' % (
                intakes, counts[0])]
    return []


if __name__ == '__main__':
    sys.exit(main())
