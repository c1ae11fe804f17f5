# This file is part of the coastal customer service project.
"""Shared helpers of the benchmarks: a throw-away database with
service_center activated, a company, timers.

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


def create_database(name, keep=False):
    """Create the database with service_center activated (as trytond-admin
    -u service_center --activate-dependencies does) and return the seconds
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
        update=['ir', 'res', 'service_center'], lang=['en'],
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


if __name__ == '__main__':
    print('helpers of bench/caller_lookup.py and bench/import_xls.py')
