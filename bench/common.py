# This file is part of the coastal customer service project.
"""Shared helpers of the benchmarks: a throw-away database with the
customer centre activated as deployed (service_kpi and what it depends
on), a company, timers.

The backend comes from TRYTOND_DATABASE_URI: SQLite (a file in a temporary
directory) unless it is set to postgresql://...; DB_NAME=:memory: keeps a
SQLite database in memory. The database is dropped at exit unless --keep.

Import this module before anything from trytond: it sets the environment
trytond reads its configuration from.
"""
import atexit
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time

os.environ.setdefault('TRYTOND_DATABASE_URI', 'sqlite://')
BACKEND = os.environ['TRYTOND_DATABASE_URI'].split(':', 1)[0]
if BACKEND == 'sqlite' and os.environ.get('DB_NAME') != ':memory:':
    if not os.environ.get('TRYTOND_DATABASE__PATH'):
        _TMP = tempfile.mkdtemp(prefix='bench-')
        os.environ['TRYTOND_DATABASE__PATH'] = _TMP
        atexit.register(shutil.rmtree, _TMP, True)
# The product's default: numbers without a country code are Chinese
os.environ.setdefault('TRYTOND_SERVICE_CENTER__PHONE_REGION', 'CN')

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, 'data'))

USER = 1  # admin


def database_name(prefix):
    return os.environ.get('DB_NAME') or '%s_%d_%d' % (
        prefix, os.getpid(), int(time.time()))


def cpu_model():
    try:
        with open('/proc/cpuinfo') as file:
            for line in file:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or '?'


def describe_machine():
    from trytond import __version__, backend
    version = ''
    if backend.name == 'postgresql':
        from trytond.transaction import Transaction
        with Transaction().start(None, 0, close=True) as transaction:
            cursor = transaction.connection.cursor()
            cursor.execute('SHOW server_version')
            version = ' ' + cursor.fetchone()[0]
    elif backend.name == 'sqlite':
        import sqlite3
        version = ' ' + sqlite3.sqlite_version
    return 'machine: %s, %d cores; Python %s; trytond %s; %s%s' % (
        cpu_model(), os.cpu_count() or 0, platform.python_version(),
        __version__, backend.name, version)


def create_database(name, keep=False, modules=('service_kpi',)):
    """Create the database with the modules activated (as trytond-admin
    -u service_kpi --activate-dependencies does) and return the seconds
    it took"""
    from sql import Table

    from trytond import backend
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    start = time.perf_counter()
    with Transaction().start(
            None, 0, close=True, autocommit=True) as transaction:
        if name in transaction.database.list():
            raise SystemExit('database %r exists already' % name)
        transaction.database.create(transaction.connection, name)
    if not keep:
        atexit.register(drop_database, name)

    database = backend.Database(name).connect()
    database.init()
    connection = database.get_connection()
    try:
        with connection.cursor() as cursor:
            configuration = Table('ir_configuration')
            cursor.execute(*configuration.insert(
                    [configuration.language], [['en']]))
        connection.commit()
    finally:
        database.put_connection(connection)
    Pool(name).init(
        update=['ir', 'res', *modules], lang=['en'],
        activatedeps=True)
    return time.perf_counter() - start


def drop_database(name):
    from trytond import backend
    from trytond.cache import Cache
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    if name == ':memory:':
        return
    backend.Database(name).close()
    Pool.stop(name)
    Cache.drop(name)
    with Transaction().start(
            None, 0, close=True, autocommit=True) as transaction:
        if name in transaction.database.list():
            transaction.database.drop(transaction.connection, name)


def create_company():
    """Create the company the registers need and make it the admin's;
    return the context to start transactions with"""
    from trytond.pool import Pool
    pool = Pool()
    Currency = pool.get('currency.currency')
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    User = pool.get('res.user')
    cny, = Currency.create([{
                'name': 'Yuan', 'code': 'CNY', 'symbol': '¥',
                'numeric_code': '156'}])
    party, = Party.create([{'name': 'Coastal Estates Dalian'}])
    company, = Company.create([{
                'party': party.id, 'currency': cny.id,
                'timezone': 'Asia/Shanghai'}])
    User.write([User(USER)], {
            'companies': [('add', [company.id])],
            'company': company.id,
            })
    return {'company': company.id}


def create_project(company, code, name=None):
    "Create a region and a project with the code; return the project"
    from trytond.pool import Pool
    pool = Pool()
    Region = pool.get('service_center.region')
    Project = pool.get('service_center.project')
    region, = Region.create([{
                'name': 'Bench Region', 'code': 'BR', 'company': company}])
    project, = Project.create([{
                'name': name or code, 'code': code, 'region': region.id}])
    return project


def create_site(company, receptionists=()):
    """Create the centre manager, the project BENCH with its building 1 and
    its customer centre staffed with the receptionists (users); return the
    manager, the project and the building"""
    from trytond.pool import Pool
    pool = Pool()
    Building = pool.get('service_center.building')
    Center = pool.get('service_center.center')
    manager = create_user(
        'manager', ['group_center_manager'], mobile='13800000001',
        email='manager@example.com', company=company)
    project = create_project(company, 'BENCH')
    building, = Building.create([{'project': project.id, 'name': '1'}])
    Center.create([{
                'name': 'Bench Centre', 'code': 'BC',
                'region': project.region.id,
                'projects': [('add', [project.id])],
                'manager': manager.id,
                'receptionists': [('create', [
                            {'user': u.id} for u in receptionists])],
                }])
    return manager, project, building


def percentile(values, fraction):
    "The nearest-rank percentile of values"
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1,
            int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[index]


def summary(values):
    "Return (median, p95) of values"
    return statistics.median(values), percentile(values, 0.95)


class Timer:
    "Wall-clock seconds of a with block, in .seconds"

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start



def create_user(login, groups=(), mobile=None, email=None, password=None,
        company=None):
    """Create a user in the groups (XML ids of service_center, or
    'module.id'), working for the company; return it"""
    from trytond.pool import Pool
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    values = {
        'login': login, 'name': login.title(),
        'mobile': mobile, 'email': email,
        'groups': [('add', [ModelData.get_id(
                            *(g if '.' in g else 'service_center.' + g
                                ).split('.', 1))
                        for g in groups])],
        }
    if password:
        values['password'] = password
    if company:
        values['companies'] = [('add', [company])]
        values['company'] = company
    user, = User.create([values])
    return user


# Owners of one mobile each, inserted in SQL (bench/caller_lookup.py,
# bench/intake.py). Mobile prefixes; the 8 digits after them are a
# bijection of the owner index (48271 is coprime with 10**8), so numbers are
# unique and scattered.
PREFIXES = [
    '130', '131', '132', '135', '136', '137', '138', '139', '150', '186']
MULTIPLIER = 48271
SHARE_EVERY = 500  # owner i shares owner i-1's number when i % 500 == 0


def owner_number(index):
    "The national mobile number of owner index (1-based)"
    if index % SHARE_EVERY == 0 and index > 1:
        index -= 1
    return PREFIXES[index % len(PREFIXES)] + '%08d' % (
        index * MULTIPLIER % 10 ** 8)


def populate_owners(owners):
    """Insert the owners and their mobiles with INSERT ... SELECT, commit;
    return the id of the first owner"""
    import datetime as dt

    from trytond import backend
    from trytond.transaction import Transaction
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    cursor.execute('SELECT COALESCE(MAX(id), 0) FROM party_party')
    party_base, = cursor.fetchone()
    cursor.execute('SELECT COALESCE(MAX(id), 0) FROM party_contact_mechanism')
    mechanism_base, = cursor.fetchone()
    now = dt.datetime.now()
    if backend.name == 'postgresql':
        # i: owner index, j: the owner whose number it has
        numbers = ('(SELECT i, CASE WHEN mod(i, %d) = 0 AND i > 1 '
            'THEN i - 1 ELSE i END AS j '
            'FROM generate_series(1, %%s) AS s(i)) AS n' % SHARE_EVERY)
        prefix = '(ARRAY[%s])[mod(j, %d) + 1]' % (
            ', '.join("'%s'" % p for p in PREFIXES), len(PREFIXES))
        tail = "lpad(mod(j::bigint * %d, 100000000)::text, 8, '0')" % (
            MULTIPLIER)
        code = "'B' || lpad(i::text, 7, '0')"
        true, param = 'TRUE', '%s'
        with_ = ''
        params = (now, owners)
    else:
        with_ = ('WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL '
            'SELECT i + 1 FROM s WHERE i < ?), '
            'n(i, j) AS (SELECT i, CASE WHEN i %% %d = 0 AND i > 1 '
            'THEN i - 1 ELSE i END FROM s) ' % SHARE_EVERY)
        numbers = 'n'
        # SQLite has no arrays: pick the prefix out of a string
        prefix = "substr('%s', (j %% %d) * 3 + 1, 3)" % (
            ''.join(PREFIXES), len(PREFIXES))
        tail = "printf('%%08d', j * %d %% 100000000)" % MULTIPLIER
        code = "printf('B%07d', i)"
        true, param = '1', '?'
        params = (owners, now)
    values = {
        'with': with_, 'numbers': numbers, 'prefix': prefix, 'tail': tail,
        'code': code, 'true': true, 'param': param,
        'party_base': party_base, 'mechanism_base': mechanism_base,
        }

    # party_party: every column but replaced_by and write_*
    cursor.execute(
        'INSERT INTO party_party (id, active, code, code_alnum, '
        'code_digit, name, create_uid, create_date) '
        '%(with)s'
        'SELECT %(party_base)s + i, %(true)s, %(code)s, %(code)s, i, '
        "'Owner ' || i, 0, %(param)s FROM %(numbers)s" % values, params)
    # party_contact_mechanism: one mobile each, value in the international
    # format and value_compact in E.164 as the party module stores them
    cursor.execute(
        'INSERT INTO party_contact_mechanism (id, active, party, '
        'sequence, type, value, value_compact, create_uid, create_date) '
        '%(with)s'
        'SELECT %(mechanism_base)s + i, %(true)s, %(party_base)s + i, 10, '
        "'mobile', "
        "'+86 ' || %(prefix)s || ' ' || substr(%(tail)s, 1, 4) || ' ' "
        "|| substr(%(tail)s, 5, 4), "
        "'+86' || %(prefix)s || %(tail)s, 0, %(param)s FROM %(numbers)s"
        % values, params)
    if backend.name == 'postgresql':
        for table in ['party_party', 'party_contact_mechanism']:
            reset_sequence(table)
    transaction.commit()
    return party_base + 1


def print_load(when):
    print('load average at the %s: %.2f %.2f %.2f' % (
            (when,) + os.getloadavg()))


def print_start():
    "Print what the figures were measured on"
    print(describe_machine())
    print_load('start')


def create_database_reported(name, keep=False, modules=('service_kpi',)):
    print('database %s: %.1f s to create with %s' % (
            name, create_database(name, keep=keep, modules=modules),
            ', '.join(modules)))


def populate_owners_reported(name, owners):
    """Populate the owners of database name, bring its statistics up to
    date and print how long it took; return the id of the first owner, or
    None when NOT NULL columns were left empty"""
    from trytond.transaction import Transaction
    tables = ['party_party', 'party_contact_mechanism']
    with Timer() as timer:
        with Transaction().start(name, 0):
            party_base = populate_owners(owners)
            missing = check_not_null(tables)
        analyze(name, tables)
    print('populated %d owners + %d mobiles in SQL: %.1f s' % (
            owners, owners, timer.seconds))
    if missing:
        print('NOT NULL columns left empty: %s' % ', '.join(missing))
        return None
    return party_base


def analyze(name, tables):
    """Bring the statistics and visibility map of the tables up to date, as
    in a database at rest"""
    from trytond import backend
    from trytond.transaction import Transaction
    with Transaction().start(
            name, 0, autocommit=backend.name == 'postgresql') as transaction:
        cursor = transaction.connection.cursor()
        if backend.name == 'postgresql':
            cursor.execute('VACUUM ANALYZE ' + ', '.join(tables))
        else:
            cursor.execute('ANALYZE')


def check_not_null(tables):
    "On PostgreSQL, list NOT NULL columns without default left empty"
    from trytond import backend
    from trytond.transaction import Transaction
    if backend.name != 'postgresql':
        return []
    cursor = Transaction().connection.cursor()
    missing = []
    for table in tables:
        cursor.execute(
            'SELECT column_name FROM information_schema.columns '
            "WHERE table_name = %s AND is_nullable = 'NO' "
            'AND column_default IS NULL', (table,))
        for column, in cursor.fetchall():
            cursor.execute(
                'SELECT COUNT(*) FROM ' + table
                + ' WHERE "' + column + '" IS NULL')
            if cursor.fetchone()[0]:
                missing.append('%s.%s' % (table, column))
    return missing


def reset_sequence(table):
    "On PostgreSQL, move the id sequence of the table past its rows"
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
        '(SELECT MAX(id) FROM "' + table + '"))', (table,))


# SQL fragments that differ between the backends, for mass inserts of
# generated rows; every value is formatted in, none is a parameter

def sql_series(count):
    """Return the prefix and the FROM item of a query over s.i = 1..count:
    '<prefix>SELECT ... FROM <item>'"""
    from trytond import backend
    if backend.name == 'postgresql':
        return '', 'generate_series(1, %d) AS s(i)' % count
    return ('WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL '
        'SELECT i + 1 FROM s WHERE i < %d) ' % count), 's'


def sql_add_seconds(expression, seconds):
    "The timestamp expression plus the seconds expression (an integer)"
    from trytond import backend
    if backend.name == 'postgresql':
        return "(%s + (%s) * INTERVAL '1 second')" % (expression, seconds)
    # As trytond stores timestamps: with the microseconds
    return ("strftime('%%Y-%%m-%%d %%H:%%M:%%f000', %s, "
        "(%s) || ' seconds')" % (expression, seconds))


def sql_date(expression):
    from trytond import backend
    if backend.name == 'postgresql':
        return 'CAST(%s AS DATE)' % expression
    return 'date(%s)' % expression


def clone_rows(table, template, count, overrides):
    """Insert count copies of the row template (an id) of the table, for
    s.i = 1..count: each column is copied from the template t unless
    overrides gives its SQL expression (of s.i and t.*); the ids follow the
    largest one. Return the id before the first copy's."""
    from trytond import backend
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    cursor.execute('SELECT COALESCE(MAX(id), 0) FROM "%s"' % table)
    base, = cursor.fetchone()
    overrides = {'id': '%d + s.i' % base, **overrides}
    cursor.execute('SELECT * FROM "%s" WHERE id = %d' % (table, template))
    columns = [d[0] for d in cursor.description]
    cursor.fetchall()
    unknown = set(overrides) - set(columns)
    assert not unknown, unknown
    prefix, source = sql_series(count)
    cursor.execute('INSERT INTO "%s" (%s) %sSELECT %s FROM "%s" AS t, %s '
        'WHERE t.id = %d' % (
            table, ', '.join('"%s"' % c for c in columns), prefix,
            ', '.join(overrides.get(c, 't."%s"' % c) for c in columns),
            table, source, template))
    if backend.name == 'postgresql':
        reset_sequence(table)
    return base


if __name__ == '__main__':
    print('helpers of the benchmarks in bench/')
