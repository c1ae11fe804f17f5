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
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402,I001  (sets the environment before trytond)

from rosters import spoken  # noqa: E402

TARGET_OWNERS = 1_000_000
TARGET_P95 = 0.005
TARGET_RATIO = 3


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
            national = common.owner_number(index)
            expected = {party_base + k - 1
                for k in (index - 1, index, index + 1)
                if 1 <= k <= owners and common.owner_number(k) == national}
        result.append((spoken(national, rng), national, expected))
    return result


def main():
    args = parse_args()
    name = common.database_name('bench_caller')
    common.print_start()
    common.create_database_reported(name, keep=args.keep)

    from property_register.phone import format_phone
    from sql import Table

    from trytond import backend
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    party_base = common.populate_owners_reported(name, args.owners)
    if party_base is None:
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
    common.print_load('end')
    if wrong:
        print('WRONG ANSWERS: %d' % wrong)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
