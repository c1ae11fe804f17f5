# This file is part of the coastal customer service project.
"""Owner roster import at scale.

    .venv/bin/python bench/import_xls.py [--rows 100000] [--profile FILE]
    TRYTOND_DATABASE_URI=postgresql://tryton:tryton@127.0.0.1:5432/ \\
        .venv/bin/python bench/import_xls.py

Writes a ROWS-row roster .xls (data/rosters.py, several sheets of 60 000
rows) in a temporary directory, in a child process so that its memory does
not count, for one project BENCH with enough units. Then, in a throw-away
database with service_center:

1. imports it with RosterImport.import_file in one transaction (commit
   included): seconds, rows/s and peak memory of the process;
2. imports the same file again, which must change nothing: units_created,
   owners_created and ownerships_started must be 0, and the number of
   contact mechanisms and identifiers stay the same;
3. baseline, to compare machines: creates as many parties with one mobile
   (national format) each through the ORM, in batches of 1000, as the same
   user with the same company (rolled back afterwards).

CPU seconds, of this process and of the PostgreSQL backend when it runs on
the same machine, tell what other load on the machine does to the time.
Memory is the resident set size from resource.getrusage (ru_maxrss): the
process peak, and its growth during the first import over the peak before
it. --tracemalloc adds the peak of Python allocations (slower).
Targets from the issue: < 60 s and < 1 GiB for 100 000 rows.
"""
import argparse
import collections
import datetime as dt
import logging
import multiprocessing
import os
import random
import resource
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402,I001  (sets the environment before trytond)

import rosters  # noqa: E402

PROJECT = 'BENCH'
# Units per building: 4 entrances x 25 floors x 10 rooms
ENTRANCES, FLOORS, ROOMS = 4, 25, 10
HANDOVER = dt.date(2024, 6, 30)
BATCH = 1000
TARGET_ROWS = 100_000
TARGET_SECONDS = 60
TARGET_BYTES = 1024 ** 3


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--rows', type=int, default=TARGET_ROWS)
    parser.add_argument('--seed', type=int, default=42)
    parser.add_argument(
        '--profile', metavar='FILE',
        help="profile the first import with cProfile into FILE and print "
        "the top functions")
    parser.add_argument(
        '--tracemalloc', action='store_true',
        help="also trace the peak of Python allocations of the first import")
    parser.add_argument(
        '--no-baseline', dest='baseline', action='store_false')
    parser.add_argument(
        '--keep', action='store_true',
        help="do not drop the database at the end")
    parser.add_argument('--verbose', action='store_true')
    return parser.parse_args()


def projects(count):
    per_building = ENTRANCES * FLOORS * ROOMS
    return {
        PROJECT: {
            'buildings': -(-count // per_building),
            'entrances': ENTRANCES, 'floors': FLOORS, 'rooms': ROOMS,
            'handover': HANDOVER,
            },
        }


def write_roster(path, count, seed):
    rosters.write_xls(path, rosters.rows(count, seed, projects(count)))


def maxrss():
    "Peak resident set size of this process in bytes (Linux: KiB)"
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def mib(value):
    return value / 1024 ** 2


COUNTS = [
    'rows', 'imported', 'failed', 'units_created', 'units_updated',
    'owners_created', 'ownerships_started', 'ownerships_ended']


def cpu_seconds(pid=None):
    """CPU seconds used by this process or by process pid (of the same
    machine), None when they cannot be read"""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    try:
        with open('/proc/%d/stat' % pid) as file:
            fields = file.read().rsplit(')', 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def server_process(transaction):
    "The pid of the PostgreSQL backend when it runs on this machine"
    from trytond import backend
    if backend.name != 'postgresql':
        return None
    cursor = transaction.connection.cursor()
    cursor.execute('SELECT pg_backend_pid()')
    pid, = cursor.fetchone()
    if cpu_seconds(pid) is not None:
        return pid


def contact_counts():
    "The number of contact mechanisms and identifiers"
    from trytond.pool import Pool
    pool = Pool()
    return {
        'contact_mechanisms': pool.get(
            'party.contact_mechanism').search_count([]),
        'identifiers': pool.get('party.identifier').search_count([]),
        }


def counts(record):
    "The counts of the import record, read in its transaction"
    return {f: getattr(record, f) for f in COUNTS}


def refusals(record):
    "The number of refused rows per message"
    return collections.Counter(e.message for e in record.errors)


def main():
    args = parse_args()
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING)
    common.print_start()

    directory = tempfile.TemporaryDirectory(prefix='bench-roster-')
    path = os.path.join(directory.name, 'roster_%d.xls' % args.rows)
    with common.Timer() as timer:
        # fork before trytond opens any connection
        writer = multiprocessing.get_context('fork').Process(
            target=write_roster, args=(path, args.rows, args.seed))
        writer.start()
        writer.join()
        if writer.exitcode:
            print('writing the roster failed')
            return 1
    with open(path, 'rb') as file:
        data = file.read()
    print('roster: %d rows, %.1f MiB .xls, written in %.1f s' % (
            args.rows, mib(len(data)), timer.seconds))

    name = common.database_name('bench_import')
    common.create_database_reported(name, keep=args.keep)

    from trytond.pool import Pool
    from trytond.transaction import Transaction

    with Transaction().start(name, 0) as transaction:
        context = common.create_company()
        common.create_project(context['company'], PROJECT)
        transaction.commit()

    def import_(label, profile=None, trace=False):
        if trace:
            import tracemalloc
            tracemalloc.start()
        before = maxrss()
        cpu = cpu_seconds()
        with common.Timer() as timer:
            with Transaction().start(
                    name, common.USER, context=context) as transaction:
                server = server_process(transaction)
                server_cpu = cpu_seconds(server)
                RosterImport = Pool().get('service_center.roster_import')
                if profile:
                    profile.enable()
                record = RosterImport.import_file(
                    os.path.basename(path), data)
                transaction.commit()
                if profile:
                    profile.disable()
                server_cpu = cpu_seconds(server) - server_cpu
                result = counts(record)
                refused = refusals(record)
                contacts = contact_counts()
        cpu = cpu_seconds() - cpu
        peak = maxrss()
        print('%s: %.1f s, %.0f rows/s; peak RSS %.0f MiB (+%.0f MiB '
            'during the import)' % (
                label, timer.seconds, args.rows / timer.seconds,
                mib(peak), mib(peak - before)))
        # Other processes on the machine lengthen the wall-clock time, not
        # the CPU time
        print('  CPU: %.1f s in this process%s' % (cpu,
                ', %.1f s in the database server' % server_cpu
                if server else ''))
        if trace:
            _, traced = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print('  peak of Python allocations (tracemalloc): %.0f MiB'
                % mib(traced))
        print('  ' + ', '.join('%s=%s' % i for i in result.items()))
        if refused:
            # Random identity numbers of different owners may collide
            print('  refused: ' + ', '.join(
                    '%s x%d' % i for i in refused.most_common()))
        return timer.seconds, peak, dict(result, **contacts)

    profile = None
    if args.profile:
        import cProfile
        profile = cProfile.Profile()
    seconds, peak, first = import_(
        'import', profile=profile, trace=args.tracemalloc)
    if profile:
        import pstats
        profile.dump_stats(args.profile)
        stats = pstats.Stats(args.profile)
        stats.sort_stats('cumulative').print_stats(40)
        stats.sort_stats('tottime').print_stats(20)
    reseconds, _, second = import_('re-import')
    unchanged = not any(second[f] for f in [
            'units_created', 'units_updated', 'owners_created',
            'ownerships_started', 'ownerships_ended']) and all(
        second[f] == first[f] for f in ['contact_mechanisms', 'identifiers'])

    if args.baseline:
        # National numbers as clerks type them: their parsing does not
        # depend on the product's shortcuts, the yardstick stays put
        rng = random.Random(args.seed + 1)
        parties = [{
                'name': rosters.owner(rng)['name'],
                'contact_mechanisms': [('create', [{
                                'type': 'mobile',
                                'value': rosters.mobile(rng),
                                }])],
                } for _ in range(args.rows)]
        with common.Timer() as timer:
            with Transaction().start(
                    name, common.USER, context=context) as transaction:
                Party = Pool().get('party.party')
                for i in range(0, len(parties), BATCH):
                    Party.create(parties[i:i + BATCH])
                transaction.rollback()
        baseline = timer.seconds
        print('baseline: Party.create of %d parties with one mobile each, '
            'batches of %d: %.1f s, %.0f parties/s' % (
                len(parties), BATCH, baseline, len(parties) / baseline))
        print('ratio import / baseline: %.2f; re-import / baseline: %.2f'
            % (seconds / baseline, reseconds / baseline))

    verdict = 'met' if seconds < TARGET_SECONDS else 'MISSED'
    if args.rows != TARGET_ROWS:
        projected = seconds * TARGET_ROWS / args.rows
        verdict = '%s (projected linearly from %d rows: ~%.0f s)' % (
            'met' if projected < TARGET_SECONDS else 'MISSED',
            args.rows, projected)
    print('target < %d s for %d rows: %s; target < 1 GiB peak RSS: %s' % (
            TARGET_SECONDS, TARGET_ROWS, verdict,
            'met' if peak < TARGET_BYTES else 'MISSED'))
    print('re-import changed nothing: %s' % ('yes' if unchanged else 'NO'))
    common.print_load('end')
    directory.cleanup()
    return 0 if unchanged else 1


if __name__ == '__main__':
    sys.exit(main())
