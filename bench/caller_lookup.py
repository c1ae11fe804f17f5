# This file is part of the coastal customer service project.
"""Caller recognition at scale: Party.search_by_phone against raw SQL.

    .venv/bin/python bench/caller_lookup.py [--owners 1000000] [--lookups 2000]
    TRYTOND_DATABASE_URI=postgresql://tryton:tryton@127.0.0.1:5432/ \\
        .venv/bin/python bench/caller_lookup.py

Creates a throw-away database with service_center, fills it with OWNERS
parties of one mobile each (every 500th shares its neighbour's number)
straight in SQL, then times LOOKUPS look-ups of random numbers typed in
the clerks' formats ("138 0013 8000", "+86-13800138000", "8613800138000",
"13800138000"; 5% are valid numbers nobody has):

- ORM: Party.search_by_phone(number) in a transaction as admin, as the
  caller look-up wizard runs it (normalisation included);
- raw SQL: SELECT party FROM party_contact_mechanism WHERE value_compact = ?
  AND type IN (...), with the number already normalised, on the same
  cursor.

Both run with a warm cache (one untimed pass over the numbers first).
Targets from the issue: ORM p95 < 5 ms and within 3x of raw SQL.
"""
import argparse
import datetime as dt
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402,I001  (sets the environment before trytond)

from rosters import spoken  # noqa: E402

# Mobile prefixes; the 8 digits after them are a bijection of the owner
# index (48271 is coprime with 10**8), so numbers are unique and scattered.
PREFIXES = [
    '130', '131', '132', '135', '136', '137', '138', '139', '150', '186']
MULTIPLIER = 48271
SHARE_EVERY = 500  # owner i shares owner i-1's number when i % 500 == 0
TARGET_OWNERS = 1_000_000
TARGET_P95 = 0.005
TARGET_RATIO = 3


def owner_number(index):
    "The national mobile number of owner index (1-based)"
    if index % SHARE_EVERY == 0 and index > 1:
        index -= 1
    return PREFIXES[index % len(PREFIXES)] + '%08d' % (
        index * MULTIPLIER % 10 ** 8)


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--owners', type=int, default=TARGET_OWNERS)
    parser.add_argument('--lookups', type=int, default=2000)
    parser.add_argument('--seed', type=int, default=2026)
    parser.add_argument(
        '--keep', action='store_true',
        help="do not drop the database at the end")
    return parser.parse_args()


def populate(owners):
    """Insert the owners and their mobiles with INSERT ... SELECT;
    return the id of the first owner"""
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
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "(SELECT MAX(id) FROM " + table + '))', (table,))
    transaction.commit()
    return party_base + 1


def check_not_null():
    "On PostgreSQL, list NOT NULL columns without default left empty"
    from trytond import backend
    from trytond.transaction import Transaction
    if backend.name != 'postgresql':
        return []
    cursor = Transaction().connection.cursor()
    missing = []
    for table in ['party_party', 'party_contact_mechanism']:
        cursor.execute(
            'SELECT column_name FROM information_schema.columns '
            "WHERE table_name = %s AND is_nullable = 'NO' "
            'AND column_default IS NULL', (table,))
        for column, in cursor:
            cursor2 = Transaction().connection.cursor()
            cursor2.execute(
                'SELECT COUNT(*) FROM ' + table
                + ' WHERE "' + column + '" IS NULL')
            if cursor2.fetchone()[0]:
                missing.append('%s.%s' % (table, column))
    return missing


def lookups(count, owners, party_base, seed):
    """Return [(typed number, national number, expected party ids)]:
    owners' mobiles in the clerks' formats, 5% unknown numbers"""
    rng = random.Random(seed)
    result = []
    for _ in range(count):
        if rng.random() < 0.05:
            # A valid mobile outside the generated ones: 199 is not used
            national = '199%08d' % rng.randrange(10 ** 8)
            expected = set()
        else:
            index = rng.randrange(1, owners + 1)
            national = owner_number(index)
            expected = {party_base + k - 1
                for k in (index - 1, index, index + 1)
                if 1 <= k <= owners and owner_number(k) == national}
        result.append((spoken(national, rng), national, expected))
    return result


def main():
    args = parse_args()
    name = common.database_name('bench_caller')
    print(common.describe_machine())
    print('load average at the start: %.2f %.2f %.2f' % os.getloadavg())
    print('database %s: %.1f s to create with service_center' % (
            name, common.create_database(name, keep=args.keep)))

    from service_center.phone import format_phone
    from sql import Table

    from trytond import backend
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    with common.Timer() as timer:
        with Transaction().start(name, 0) as transaction:
            party_base = populate(args.owners)
            missing = check_not_null()
        # As a database at rest: statistics and visibility map up to date
        with Transaction().start(
                name, 0, autocommit=backend.name == 'postgresql'
                ) as transaction:
            cursor = transaction.connection.cursor()
            if backend.name == 'postgresql':
                cursor.execute(
                    'VACUUM ANALYZE party_party, party_contact_mechanism')
            else:
                cursor.execute('ANALYZE')
    print('populated %d owners + %d mobiles in SQL: %.1f s' % (
            args.owners, args.owners, timer.seconds))
    if missing:
        print('NOT NULL columns left empty: %s' % ', '.join(missing))
        return 1

    numbers = lookups(args.lookups, args.owners, party_base, args.seed)
    with Transaction().start(name, common.USER, readonly=True) as transaction:
        pool = Pool()
        Party = pool.get('party.party')
        cursor = transaction.connection.cursor()
        cursor.execute('SELECT COUNT(*) FROM party_contact_mechanism')
        print('party_contact_mechanism rows: %d' % cursor.fetchone()[0])

        mechanism = Table('party_contact_mechanism')
        query, _ = tuple(mechanism.select(
                mechanism.party,
                where=(mechanism.value_compact == '')
                & mechanism.type.in_(['phone', 'mobile'])))

        def raw(e164):
            cursor.execute(query, (e164, 'phone', 'mobile'))
            return {p for p, in cursor.fetchall()}

        e164s = [format_phone(typed) for typed, _, _ in numbers]
        assert all(e164s), 'a generated number is not valid'

        # Warm-up: pool caches, statement preparation and the pages read
        for e164 in e164s:
            raw(e164)
        for typed, _, _ in numbers[:50]:
            Party.search_by_phone(typed)

        orm_times, raw_times, normalise_times = [], [], []
        wrong = 0
        clock = time.perf_counter
        for (typed, national, expected), e164 in zip(numbers, e164s):
            start = clock()
            found, parties = Party.search_by_phone(typed)
            orm_times.append(clock() - start)
            if ({p.id for p in parties} != expected
                    or found != '+86' + national):
                wrong += 1
        for e164 in e164s:
            start = clock()
            raw(e164)
            raw_times.append(clock() - start)
        for typed, _, _ in numbers:
            start = clock()
            format_phone(typed)
            normalise_times.append(clock() - start)

        # The plan of the baseline query for one number
        plans = {
            'raw SQL': (query, (e164s[0], 'phone', 'mobile')),
            }
        for label, (sql, params) in plans.items():
            if backend.name == 'postgresql':
                cursor.execute('EXPLAIN ' + sql, params)
                plan = [r[0].strip() for r in cursor.fetchall()]
            else:
                cursor.execute('EXPLAIN QUERY PLAN ' + sql, params)
                plan = [str(r[-1]) for r in cursor.fetchall()]
            plans[label] = ' / '.join(plan)

    orm_median, orm_p95 = common.summary(orm_times)
    raw_median, raw_p95 = common.summary(raw_times)
    norm_median, norm_p95 = common.summary(normalise_times)
    shared = sum(1 for _, _, e in numbers if len(e) > 1)
    unknown = sum(1 for _, _, e in numbers if not e)
    print('%d look-ups (%d of a shared number, %d unknown), %d wrong '
        'answers' % (len(numbers), shared, unknown, wrong))
    for label, plan in plans.items():
        print('%s plan: %s' % (label, plan))
    print('%-34s median %7.3f ms   p95 %7.3f ms' % (
            'ORM Party.search_by_phone:', orm_median * 1000, orm_p95 * 1000))
    print('%-34s median %7.3f ms   p95 %7.3f ms' % (
            'raw SQL (normalised number):', raw_median * 1000,
            raw_p95 * 1000))
    print('%-34s median %7.3f ms   p95 %7.3f ms' % (
            '  of which format_phone alone:', norm_median * 1000,
            norm_p95 * 1000))
    ratio_median = orm_median / raw_median
    ratio_p95 = orm_p95 / raw_p95
    print('ratio ORM / raw SQL: median %.1fx, p95 %.1fx' % (
            ratio_median, ratio_p95))
    if args.owners != TARGET_OWNERS:
        print('(%d owners here: the targets are for %d)' % (
                args.owners, TARGET_OWNERS))
    print('target ORM p95 < %.0f ms: %s' % (
            TARGET_P95 * 1000,
            'met' if orm_p95 < TARGET_P95 else 'MISSED'))
    print('target ORM within %dx of raw SQL (median): %s' % (
            TARGET_RATIO,
            'met' if ratio_median <= TARGET_RATIO else 'MISSED'))
    print('load average at the end: %.2f %.2f %.2f' % os.getloadavg())
    if wrong:
        print('WRONG ANSWERS: %d' % wrong)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
