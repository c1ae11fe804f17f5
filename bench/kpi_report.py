# This file is part of the coastal customer service project.
"""The evaluation reports (service_center.kpi.center, .region, .group)
over three years of requests, on PostgreSQL.

    TRYTOND_DATABASE_URI=postgresql://tryton:tryton@127.0.0.1:5432/ \\
        .venv/bin/python bench/kpi_report.py \\
        [--requests 5000000] [--units 1000000] [--month 2026-10]

Needs PostgreSQL (without it, it says so and skips). Creates a throw-away
database with service_center and, through the ORM, the skeleton: the
company, 4 regions of 10 projects each (every fifth suburban), 4 customer
centres per region serving 1, 2, 3 and 4 of its projects, 4 back-factory
departments per region serving all its projects (engineering, maintenance,
contractor, cleaning; each with its own responsible user) and the
buildings (240 units each). Everything else is generated in SQL on the
server (INSERT ... SELECT over generate_series, random() seeded, so the
same sizes give the same rows):
- UNITS units spread evenly over the projects, one owner each (a party with
  a mobile, as bench/common.populate_owners) and their ownership;
- REQUESTS requests received over the 36 months that end with the report
  month, ids in the order received as in production, 8% of the repairs
  about a common area (no unit). Kinds: repair 55%, enquiry 20%, complaint
  12%, suggestion 8%, praise 5%, answered on the spot (one call) mostly for
  enquiries, praises and suggestions; channels: desk, project hotline,
  portal, 400 hotline (8%, at group level from the start), e-mail, staff;
  3% cancelled; 4% reopened after a dissatisfied call-back, 1% whose
  owner could never be reached, 0.4% left stuck at a department, 0.2%
  never dispatched (left registered, their acknowledgement past due: the
  report's omissions);
- repeat complaints: a tenth of the complaints take the unit and owner of
  the complaint of the same project and category before them (when it is
  within 90 days, not cancelled and not itself taken over); then repeat_of
  is set in SQL by the registration's rule (Request._repeated): the same
  owner's latest earlier complaint of the same category within 90 days,
  not cancelled; cancelled complaints get none;
- same-problem alarms on 5% of the (project, category, month) that have
  requests: the first 3 to 6 requests of that problem in the month point
  to it (request.alarm), opened at the third; open or in a meeting when
  less than 20 days old, then more and more decided and closed (a few
  old ones still open);
- the work orders (every column the flow fills but the signature image): one
  to a department of the region for each dispatched request, acknowledged,
  scheduled and on site as the plan says, done when the request was
  resolved; a second one, done, for the requests reopened and resolved again
  (dispatched 30 min after the call-back that reopened them); 2% of the
  dispatched requests were first sent to the wrong department (that work
  order cancelled, half of them with a cost, which the report must leave
  out). 60% of the done work orders have a cost (20 to 8 020), the bearer of
  each request's work orders drawn as developer 35%, contractor 25%,
  property company 20%, owner 10%, undecided 10%;
- their deadlines as the flow records them: the centre's acknowledgement
  (10 min) and the resolution (7 days) of every request; for the first
  work order the department's acknowledgement, owner contact (10 min
  each) and on site (24 h, 28 h suburban) from dispatch, linked to it
  (deadline.work_order); after each resolution the call-back (3 days) and
  the follow-up (7 days), inserted in the order their steps start, as
  production writes them. Each is met on time, met late (state breached)
  or left past due or still pending; cancelled requests' deadlines are
  void. Not generated: the deadlines of the second and of the cancelled
  work orders, the agreed-visit deadlines and the escalation lines. The
  escalation level is one per breached deadline, reopening or unreachable
  owner (at most 4);
- the centre's call-backs (level 'center', mode 'self' where call-backs
  have a mode): done and reached after each resolution called back, with
  the owner's satisfaction and confirmation (dissatisfied or not confirmed
  when the request was reopened), pending otherwise (3 unreached attempts
  when the owner could not be reached);
- where the module samples call-backs (service_center.supervision
  SAMPLE_RATES and the call-back's mode), the regions' and headquarters'
  call-backs of that share of each month's closed requests, drawn on the
  first of the next month and done within 25 days, 6% of them
  contradicting the centre (the request is left closed here, where the
  flow would reopen it).
Then the evaluation facts of every request (service_kpi: one row each,
service_center.kpi.fact.refresh() as when the module is installed on a
database that has requests; the flow keeps them up to date), then VACUUM
ANALYZE, as a database at rest.

The clock (property_register.clock.now, which decides which
pending deadlines are past due) is patched to AT, 09:00 in Shanghai on the
first day after the report month, when the monthly report is made; the
data ends with the report month. Each run is in a transaction of its own
as the administrator, with the company in the context, and the --set
settings (SET LOCAL). Four reports of the month are timed (SCOPES):
(1) "region": the centres' report (service_center.kpi.center) for one
    region, under Transaction().set_context(from_date, to_date, region):
    KPI.search_read([], fields_names=<every field of the report>), which
    runs the report's table query twice, as the client's search then read
    do;
(2) "group": the same for the group (no region);
(3) "kpi.region": service_center.kpi.region, a row per region (no region
    in the context);
(4) "kpi.group": service_center.kpi.group, one row for the group;
each next to a hand-written SQL of the same figures (requests by kind,
one call, escalation levels; on-time rate per target; call-backs reached,
satisfied, reopened, and the samples' figures when the report has them;
repeat complaints; requests never dispatched or never called back;
undecided alarms; the work orders' cost by bearer) for the month, on the
cursor of the same transaction, counted from the requests, deadlines,
call-backs and work orders themselves, not from the facts (so it checks
them too): one pass over the month's requests, each
request's deadlines, call-backs and work orders counted in a LATERAL
subquery through their index on the request (a plan that does not depend
on the planner's row estimates; three GROUP BYs joined, as the report
does, were up to 2x slower for the group), then a GROUP BY of the key.
The first round is reported on its own (caches cold: the Python caches of
rules and access, PostgreSQL's buffers after the load); the next --runs
rounds give the medians. Each round runs the ORM and the hand SQL one
after the other for each report in turn. The figures of the ORM and of
the hand SQL must be the same, the region's the same as its centres' in
the group report, and the counts and costs of the centres must add up to
the regions' and to the group's: any mismatch is printed and the exit
status is 1. --explain prints EXPLAIN (ANALYZE, BUFFERS) of each statement
the ORM runs and of the hand SQL, for each report.

Targets from the issue: each report < 1 s on PostgreSQL; within 2x of the
hand-written SQL of the same figures in the same run.
"""
import argparse
import datetime as dt
import logging
import os
import re
import statistics
import sys
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402,I001  (sets the environment before trytond)

TARGET_REQUESTS = 5_000_000
TARGET_UNITS = 1_000_000
TARGET_SECONDS = 1
TARGET_RATIO = 2
REGIONS = 4
PROJECTS_PER_REGION = 10
CENTRE_PROJECTS = [1, 2, 3, 4]  # projects of each centre of a region
UNITS_PER_BUILDING = 240  # 2 entrances, 30 floors, 4 flats a floor
MONTHS = 36
SEED = 0.2026
SATISFIED = ('very_satisfied', 'satisfied', 'fairly_satisfied')
TARGETS = ['ack', 'contact', 'onsite', 'resolution', 'callback']
KINDS = ['complaint', 'enquiry', 'suggestion', 'repair', 'praise']
LEVELS = [1, 2, 3, 4]
# Columns every table query model has but that are not the report's
BASE_FIELDS = {
    'id', 'rec_name', 'create_uid', 'create_date', 'write_uid',
    'write_date', 'last_modified_at', 'xml_id'}
# The back-factory departments of each region
DEPARTMENTS = [
    ('engineering', 'Engineering'),
    ('property_maintenance', 'Maintenance'),
    ('contractor', 'Contractor'),
    ('cleaning', 'Cleaning'),
    ]
COST_BEARERS = ['developer', 'contractor', 'property', 'owner', 'undecided']
GENERATED = [
    'service_center_unit', 'service_center_ownership',
    'service_center_alarm', 'service_center_request',
    'service_center_work_order', 'service_center_request_deadline',
    'service_center_callback']


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--requests', type=int, default=TARGET_REQUESTS)
    parser.add_argument('--units', type=int, default=TARGET_UNITS)
    parser.add_argument(
        '--month', type=month_type, default=last_month(),
        help="the report month, YYYY-MM (default the last complete month, "
        "%(default)s)")
    parser.add_argument(
        '--runs', type=int, default=5,
        help="timed rounds after the first (default %(default)s)")
    parser.add_argument(
        '--set', action='append', default=[], metavar='NAME=VALUE',
        type=setting_type, dest='settings',
        help="a PostgreSQL setting for the timed transactions (SET LOCAL), "
        "e.g. --set jit=off --set random_page_cost=1.1")
    parser.add_argument(
        '--explain', action='store_true',
        help="print EXPLAIN (ANALYZE, BUFFERS) of the statements of the "
        "reports, ORM and hand SQL")
    parser.add_argument(
        '--keep', action='store_true',
        help="do not drop the database at the end")
    args = parser.parse_args()
    projects = REGIONS * PROJECTS_PER_REGION
    if args.units < projects:
        parser.error('--units must be at least %d' % projects)
    if args.requests < 1 or args.runs < 1:
        parser.error('--requests and --runs must be positive')
    return args


def month_type(value):
    try:
        return dt.datetime.strptime(value, '%Y-%m').date()
    except ValueError:
        raise argparse.ArgumentTypeError('not a month YYYY-MM: %r' % value)


def setting_type(value):
    name, _, setting = value.partition('=')
    if not re.fullmatch(r'[a-z_]+', name) or not re.fullmatch(
            r'[\w.]+', setting):
        raise argparse.ArgumentTypeError('not NAME=VALUE: %r' % value)
    return name, setting


def last_month():
    return (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(
        day=1).strftime('%Y-%m')


def add_months(date, months):
    month = date.year * 12 + date.month - 1 + months
    return dt.date(month // 12, month % 12 + 1, 1)


class Period:
    "The report month, the span of the data and the report's clock"

    def __init__(self, month):
        self.from_date = month
        self.next_month = add_months(month, 1)
        self.to_date = self.next_month - dt.timedelta(days=1)
        self.start = dt.datetime.combine(
            add_months(month, 1 - MONTHS), dt.time())
        self.end = dt.datetime.combine(self.next_month, dt.time())
        # 09:00 in Shanghai, naive UTC as every Tryton timestamp
        self.at = self.end + dt.timedelta(hours=1)


def setup(name, units):
    """Create through the ORM the company, regions, projects, centres and
    buildings; return the context and the skeleton: regions (ids),
    projects [(id, region, centre, suburban)] and buildings
    [(project index, building index, id, project, name, handover date)]"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    per_project = -(-units // (REGIONS * PROJECTS_PER_REGION))
    buildings_per_project = -(-per_project // UNITS_PER_BUILDING)
    with Transaction().start(name, 0) as transaction:
        pool = Pool()
        Region = pool.get('service_center.region')
        Project = pool.get('service_center.project')
        Center = pool.get('service_center.center')
        Building = pool.get('service_center.building')
        context = common.create_company()
        regions = Region.create([{
                    'name': 'Region %d' % (r + 1), 'code': 'R%d' % (r + 1),
                    'company': context['company']}
                for r in range(REGIONS)])
        projects = Project.create([{
                    'name': 'Project %02d' % (p + 1),
                    'code': 'P%02d' % (p + 1),
                    'region': regions[p // PROJECTS_PER_REGION].id,
                    'suburban': p % 5 == 4,
                    'first_handover_date': dt.date(2016 + p % 8, 6, 30),
                    }
                for p in range(REGIONS * PROJECTS_PER_REGION)])
        centres = {}
        for r, region in enumerate(regions):
            first = r * PROJECTS_PER_REGION
            for c, count in enumerate(CENTRE_PROJECTS):
                served = projects[first:first + count]
                first += count
                centre, = Center.create([{
                            'name': 'Centre %d-%d' % (r + 1, c + 1),
                            'code': 'C%d%d' % (r + 1, c + 1),
                            'region': region.id,
                            'projects': [('add', [p.id for p in served])],
                            }])
                centres.update((p.id, centre.id) for p in served)
            assert first == (r + 1) * PROJECTS_PER_REGION
        departments = create_departments(regions, context['company'])
        records = Building.create([{
                    'project': project.id, 'name': str(b + 1),
                    'entrances': 2, 'floors': 30}
                for project in projects
                for b in range(buildings_per_project)])
        buildings = []
        for i, building in enumerate(records):
            p, b = divmod(i, buildings_per_project)
            buildings.append((p, b, building.id, projects[p].id,
                    building.name, projects[p].first_handover_date
                    + dt.timedelta(days=30 * b)))
        skeleton = {
            'regions': [r.id for r in regions],
            'projects': [(p.id, p.region.id, centres[p.id], p.suburban)
                for p in projects],
            'buildings': buildings,
            'per_project': per_project,
            'codes': {c.id: c.code for c in Center.search([])},
            'region_codes': {r.id: r.code for r in regions},
            # [(project, index in its region, department, responsible)]
            'departments': [(p.id, d, department.id, department.responsible.id)
                for p in projects
                for d, department in enumerate(departments[p.region.id])],
            }
        transaction.commit()
    return context, skeleton


def create_departments(regions, company):
    """Create the back-factory departments of each region (none serve
    single projects), each with its own first responsible person; return
    {region: [department]}"""
    from trytond.pool import Pool
    Department = Pool().get('service_center.department')
    departments = {}
    for r, region in enumerate(regions):
        values = []
        for d, (kind, name) in enumerate(DEPARTMENTS):
            user = common.create_user(
                'responder%d%d' % (r + 1, d + 1), ['group_responder'],
                mobile='1390000%02d%02d' % (r + 1, d + 1),
                email='responder%d%d@example.com' % (r + 1, d + 1),
                company=company)
            values.append({
                    'name': '%s %d' % (name, r + 1), 'kind': kind,
                    'region': region.id, 'responsible': user.id})
        departments[region.id] = Department.create(values)
    return departments


def values_sql(rows):
    "A VALUES list of the rows of numbers, bools, strings and dates"
    def literal(value):
        if isinstance(value, bool):
            return 'TRUE' if value else 'FALSE'
        if isinstance(value, (int, float)):
            return repr(value)
        if isinstance(value, dt.date):
            return "DATE '%s'" % value.isoformat()
        return "'%s'" % str(value).replace("'", "''")
    return 'VALUES ' + ', '.join(
        '(%s)' % ', '.join(map(literal, row)) for row in rows)


def seconds(expression):
    "The interval of the expression in seconds"
    return '((%s) * INTERVAL \'1 second\')' % expression


MINUTE, HOUR, DAY = 60, 3600, 86400

# The plan of each request: what happened to it and when, up to AT; the
# requests, deadlines and call-backs are inserted from it. Four layers:
# s draws the random numbers, a the request's nature, b the times of its
# steps, c what had happened by AT.
PLAN = '''
CREATE UNLOGGED TABLE bench_plan AS
SELECT c.*,
    CASE
        WHEN cancelled THEN 'cancelled'
        WHEN NOT resolved1 THEN
            CASE WHEN dispatched THEN 'dispatched' ELSE 'registered' END
        WHEN NOT called1 THEN 'resolved'
        WHEN NOT round2 THEN 'closed'
        WHEN NOT resolved2 THEN 'reopened'
        WHEN NOT called2 THEN 'resolved'
        ELSE 'closed' END AS state,
    CASE WHEN channel = 'hotline_400' THEN 4
        WHEN cancelled THEN 0
        ELSE LEAST(4,
            pg_temp.late(own_ack_at, t0 + INTERVAL '10 minutes')
            + CASE WHEN dispatched THEN
                pg_temp.late(wack_at, disp_at + INTERVAL '10 minutes')
                + pg_temp.late(contact_at, disp_at + INTERVAL '10 minutes')
                + pg_temp.late(onsite_at, disp_at + onsite_delay)
                ELSE 0 END
            + pg_temp.late(res_at, t0 + INTERVAL '7 days')
            + CASE WHEN resolved1 THEN
                pg_temp.late(CASE WHEN NOT unreachable THEN cb_at END,
                    res_at + INTERVAL '3 days')
                ELSE 0 END
            + CASE WHEN resolved1 AND unreachable
                AND res_at + INTERVAL '3 days' < %(at)s THEN 1 ELSE 0 END
            + CASE WHEN round2 THEN
                1 + pg_temp.late(res2_at, cb_at + INTERVAL '7 days') ELSE 0 END
            + CASE WHEN resolved2 THEN
                pg_temp.late(cb2_at, res2_at + INTERVAL '3 days') ELSE 0 END)
        END AS escalation_level
FROM (
    SELECT b.*,
        resolved1 AND NOT unreachable AND cb_at <= %(at)s AS called1,
        resolved1 AND NOT unreachable AND cb_at <= %(at)s AND reopen
            AS round2,
        resolved1 AND NOT unreachable AND reopen AND res2_at <= %(at)s
            AS resolved2,
        resolved1 AND NOT unreachable AND reopen AND cb2_at <= %(at)s
            AS called2
    FROM (
        SELECT b.*,
            COALESCE(res_at <= %(at)s, FALSE) AS resolved1,
            COALESCE(disp_at <= %(at)s, FALSE) AS dispatched,
            CASE WHEN one_call THEN res_at ELSE disp_at END AS own_ack_at,
            cb_at + INTERVAL '1 day' + r_sat * INTERVAL '4 days' AS res2_at,
            cb_at + INTERVAL '1 day 4 hours' + r_sat * INTERVAL '6 days'
                AS cb2_at
        FROM (
            SELECT b.*,
                res_at + CASE WHEN r_cb < 0.92
                    THEN %(cb_on_time)s ELSE %(cb_late)s END AS cb_at
            FROM (
                SELECT a.*,
                    CASE WHEN cancelled THEN NULL
                        WHEN one_call THEN t0 + CASE WHEN r_ack < 0.97
                            THEN %(spot_on_time)s ELSE %(spot_late)s END
                        WHEN r_stuck < 0.006 THEN NULL
                        ELSE GREATEST(onsite_at + INTERVAL '1 hour',
                            t0 + r_res ^ 4 * INTERVAL '12 days') END
                        AS res_at
                FROM (
                    SELECT a.*,
                        disp_at + CASE WHEN r_wack < 0.94
                            THEN %(wack_on_time)s ELSE %(wack_late)s END
                            AS wack_at,
                        disp_at + CASE WHEN r_contact < 0.9
                            THEN %(contact_on_time)s ELSE %(contact_late)s
                            END AS contact_at,
                        disp_at + CASE WHEN r_onsite < 0.92
                            THEN %(onsite_on_time)s ELSE %(onsite_late)s
                            END AS onsite_at
                    FROM (
                        SELECT a.*,
                            CASE WHEN NOT one_call AND NOT cancelled
                                AND NOT forgotten
                                THEN t0 + CASE WHEN r_ack < 0.95
                                    THEN %(ack_on_time)s ELSE %(ack_late)s
                                    END END AS disp_at,
                            CASE WHEN suburban THEN INTERVAL '28 hours'
                                ELSE INTERVAL '24 hours' END AS onsite_delay,
                            r_reopen < 0.04 AS reopen,
                            r_reopen >= 0.99 AS unreachable
                        FROM (
                            SELECT s.*,
                                %(request_base)s + s.i AS id,
                                u.project, u.building, pm.center, pm.suburban,
                                CASE WHEN NOT common THEN u.id END AS unit,
                                CASE WHEN NOT common
                                    THEN %(party_base)s + s.k + 1 END
                                    AS party,
                                CASE WHEN common THEN 'Lobby' END
                                    AS location,
                                %(kind)s AS kind, %(category)s AS category,
                                %(channel)s AS channel,
                                %(priority)s AS priority,
                                r_state < 0.03 AS cancelled,
                                r_onecall < %(one_call)s AS one_call,
                                r_stuck >= 0.004 AND r_stuck < 0.006
                                    AS forgotten
                            FROM (
                                SELECT s.*,
                                    r_common < 0.08 AND r_kind < 0.55
                                        AS common
                                FROM (
                                    SELECT i,
                                        date_trunc('second', %(start)s
                                            + (i - 1 + random())
                                            * %(step)s
                                            * INTERVAL '1 second') AS t0,
                                        floor(random() * %(units)s)::int
                                            AS k,
                                        random() AS r_kind,
                                        random() AS r_cat,
                                        random() AS r_channel,
                                        random() AS r_priority,
                                        random() AS r_common,
                                        random() AS r_state,
                                        random() AS r_onecall,
                                        random() AS r_ack,
                                        random() AS r_wack,
                                        random() AS r_contact,
                                        random() AS r_onsite,
                                        random() AS r_res,
                                        random() AS r_cb,
                                        random() AS r_reopen,
                                        random() AS r_sat,
                                        random() AS r_sat2,
                                        random() AS r_stuck,
                                        random() AS r_dept,
                                        random() AS r_order,
                                        random() AS r_cost,
                                        random() AS r_cost2,
                                        random() AS r_bearer,
                                        random() AS r_repeat
                                    FROM generate_series(1, %(requests)s)
                                        AS s(i)) AS s) AS s
                            JOIN service_center_unit AS u
                                ON u.id = %(unit_base)s + s.k + 1
                            JOIN (%(projects)s) AS pm(project, center,
                                suburban) ON pm.project = u.project
                            ) AS a) AS a) AS a) AS b) AS b) AS b) AS c
'''
# How long after its start a step was done: on time, or late
DELAYS = {
    'ack_on_time': seconds('30 + r_ack / 0.95 * 540'),
    'ack_late': seconds('600 + (r_ack - 0.95) / 0.05 * 6600'),
    'spot_on_time': seconds('60 + r_ack / 0.97 * 480'),
    'spot_late': seconds('600 + (r_ack - 0.97) / 0.03 * 3000'),
    'wack_on_time': seconds('30 + r_wack / 0.94 * 540'),
    'wack_late': seconds('600 + (r_wack - 0.94) / 0.06 * 10200'),
    'contact_on_time': seconds('60 + r_contact / 0.9 * 480'),
    'contact_late': seconds('600 + (r_contact - 0.9) / 0.1 * 28200'),
    'onsite_on_time': seconds('3600 + r_onsite / 0.92 * %d' % (20 * HOUR)),
    'onsite_late': ('(onsite_delay + %s)' % seconds(
            '60 + (r_onsite - 0.92) / 0.08 * %d' % (48 * HOUR))),
    'cb_on_time': seconds('3600 + r_cb / 0.92 * %d' % (60 * HOUR)),
    'cb_late': seconds('%d + (r_cb - 0.92) / 0.08 * %d' % (
            3 * DAY + MINUTE, 4 * DAY)),
    }
NATURE = {
    'kind': '''CASE WHEN r_kind < 0.55 THEN 'repair'
        WHEN r_kind < 0.75 THEN 'enquiry'
        WHEN r_kind < 0.87 THEN 'complaint'
        WHEN r_kind < 0.95 THEN 'suggestion'
        ELSE 'praise' END''',
    'category': '''CASE WHEN r_kind < 0.55 THEN
            CASE WHEN r_cat < 0.35 THEN 'construction_repair'
                WHEN r_cat < 0.7 THEN 'common_upkeep'
                WHEN r_cat < 0.9 THEN 'common_rectification'
                ELSE 'major_rectification' END
        WHEN r_kind < 0.75 THEN 'property_service'
        WHEN r_kind < 0.87 THEN
            CASE WHEN r_cat < 0.6 THEN 'opinion'
                WHEN r_cat < 0.9 THEN 'property_service'
                ELSE 'major_rectification' END
        ELSE 'opinion' END''',
    'channel': '''CASE WHEN r_channel < 0.3 THEN 'desk'
        WHEN r_channel < 0.6 THEN 'project_hotline'
        WHEN r_channel < 0.8 THEN 'portal'
        WHEN r_channel < 0.88 THEN 'hotline_400'
        WHEN r_channel < 0.92 THEN 'email'
        ELSE 'staff' END''',
    'priority': '''CASE WHEN r_priority < 0.8 THEN 'normal'
        WHEN r_priority < 0.92 THEN 'high'
        WHEN r_priority < 0.97 THEN 'low'
        ELSE 'urgent' END''',
    # The share answered on the spot, by kind
    'one_call': '''CASE WHEN r_kind < 0.55 THEN 0.05
        WHEN r_kind < 0.75 THEN 0.8
        WHEN r_kind < 0.87 THEN 0.25
        WHEN r_kind < 0.95 THEN 0.6
        ELSE 0.95 END''',
    }
# The bearer of a work order's cost
COST_BEARER = """CASE WHEN p.r_bearer < 0.35 THEN 'developer'
    WHEN p.r_bearer < 0.6 THEN 'contractor'
    WHEN p.r_bearer < 0.8 THEN 'property'
    WHEN p.r_bearer < 0.9 THEN 'owner'
    ELSE 'undecided' END"""
# The share of (project, category, month) with a same-problem alarm
ALARM_RATE = 0.05
LATE = '''
CREATE FUNCTION pg_temp.late(met TIMESTAMP, due TIMESTAMP) RETURNS INTEGER
AS $$ SELECT CASE WHEN due < %(at)s AND (met IS NULL OR met > due)
    THEN 1 ELSE 0 END $$ LANGUAGE SQL IMMUTABLE
'''
# A tenth of the complaints repeat one: the complaint takes the unit and
# owner of the complaint of the same project and category before it (within
# 90 days, not cancelled, not itself taken over), so both belong to the
# same centre and the plan stays as drawn
REPEATS = '''
UPDATE bench_plan AS p
SET k = x.prev_k, unit = x.prev_unit, party = x.prev_party,
    building = x.prev_building
FROM (
    SELECT id, t0, r_repeat,
        LAG(t0) OVER w AS prev_t0, LAG(k) OVER w AS prev_k,
        LAG(unit) OVER w AS prev_unit, LAG(party) OVER w AS prev_party,
        LAG(building) OVER w AS prev_building,
        LAG(r_repeat) OVER w AS prev_r_repeat,
        LAG(cancelled) OVER w AS prev_cancelled
    FROM bench_plan
    WHERE kind = 'complaint'
    WINDOW w AS (PARTITION BY project, category ORDER BY t0, id)) AS x
WHERE p.id = x.id AND x.r_repeat < 0.1 AND x.prev_r_repeat >= 0.1
    AND NOT x.prev_cancelled AND x.prev_party IS NOT NULL
    AND x.prev_t0 < x.t0 AND x.prev_t0 >= x.t0 - INTERVAL '90 days'
'''
# What registration records (Request._repeated): the owner's latest earlier
# complaint of the same category within 90 days, not cancelled; cancelled
# complaints are given none here (the report leaves them out)
REPEAT_OF = '''
CREATE UNLOGGED TABLE bench_repeat AS
SELECT id AS request, prev_id AS repeat_of
FROM (
    SELECT id, t0, LAG(id) OVER w AS prev_id, LAG(t0) OVER w AS prev_t0
    FROM bench_plan
    WHERE kind = 'complaint' AND party IS NOT NULL AND NOT cancelled
    WINDOW w AS (PARTITION BY party, category ORDER BY t0, id)) AS x
WHERE prev_t0 < t0 AND prev_t0 >= t0 - INTERVAL '90 days'
'''
# Same-problem alarms on a few (project, category, month): the first 3 to
# 6 requests of that problem in the month, opened at the third owner's
# call; recent ones still open or in a meeting, older ones mostly closed
ALARM_KEYS = '''
CREATE UNLOGGED TABLE bench_alarm_key AS
SELECT * FROM (
    SELECT k.*, random() AS r_pick, 3 + floor(random() * 4)::int AS members,
        random() AS r_alarm
    FROM (
        SELECT DISTINCT project, category, date_trunc('month', t0) AS month
        FROM bench_plan WHERE NOT cancelled
        ORDER BY project, category, month) AS k) AS k
WHERE r_pick < %(alarm_rate)s
'''
ALARM_MEMBERS = '''
CREATE UNLOGGED TABLE bench_alarm_member AS
SELECT * FROM (
    SELECT p.id AS request, p.t0, k.project, k.category, k.month, k.members,
        row_number() OVER (PARTITION BY k.project, k.category, k.month
            ORDER BY p.t0, p.id) AS n
    FROM bench_plan AS p
    JOIN bench_alarm_key AS k ON k.project = p.project
        AND k.category = p.category AND k.month = date_trunc('month', p.t0)
    WHERE NOT p.cancelled) AS m
WHERE n <= members
'''
ALARM_PLAN = '''
CREATE UNLOGGED TABLE bench_alarm AS
SELECT a.*, CASE
        WHEN age < INTERVAL '20 days' THEN
            CASE WHEN r_alarm < 0.6 THEN 'open' ELSE 'meeting' END
        WHEN age < INTERVAL '60 days' THEN
            CASE WHEN r_alarm < 0.1 THEN 'open'
                WHEN r_alarm < 0.4 THEN 'meeting'
                WHEN r_alarm < 0.7 THEN 'decided'
                ELSE 'closed' END
        WHEN r_alarm < 0.03 THEN 'open'
        WHEN r_alarm < 0.05 THEN 'meeting'
        WHEN r_alarm < 0.15 THEN 'decided'
        ELSE 'closed' END AS state
FROM (
    SELECT %(alarm_base)s + row_number() OVER (
            ORDER BY a.opened_at, a.project, a.category) AS id,
        a.*, %(at)s - a.opened_at AS age
    FROM (
        SELECT k.project, k.category, k.month, k.r_alarm,
            MAX(m.t0) FILTER (WHERE m.n <= 3) AS opened_at
        FROM bench_alarm_key AS k
        JOIN bench_alarm_member AS m ON m.project = k.project
            AND m.category = k.category AND m.month = k.month
        GROUP BY k.project, k.category, k.month, k.r_alarm) AS a) AS a
'''
ALARMS = '''
INSERT INTO service_center_alarm (id, project, category, opened_at,
    meeting_date, decision, policy, decided_by, decided_at, closed_at,
    state, create_uid, create_date, write_uid, write_date)
SELECT id, project, category, opened_at,
    CASE WHEN state != 'open' THEN opened_at + INTERVAL '3 days' END,
    CASE WHEN state IN ('decided', 'closed') THEN 'Fix at the source' END,
    CASE WHEN state = 'closed' THEN 'Check at handover' END,
    CASE WHEN state IN ('decided', 'closed') THEN %(user)s END,
    CASE WHEN state IN ('decided', 'closed')
        THEN opened_at + INTERVAL '5 days' END,
    CASE WHEN state = 'closed' THEN opened_at + INTERVAL '20 days' END,
    state, 0, opened_at, %(user)s, opened_at + CASE state
        WHEN 'open' THEN INTERVAL '0 days'
        WHEN 'meeting' THEN INTERVAL '3 days'
        WHEN 'decided' THEN INTERVAL '5 days'
        ELSE INTERVAL '20 days' END
FROM bench_alarm ORDER BY id
'''
REQUESTS = '''
INSERT INTO service_center_request (id, number, kind, category, channel,
    priority, received_by, received_at, received_date, party, unit, project,
    building, location, center, description, answer, responsibility, sla,
    escalation_level, one_call, resolved_at, closed_at, cancel_reason, state,
    repeat_of, alarm, create_uid, create_date, write_uid, write_date)
SELECT p.id, 'KF' || to_char(p.t0, 'YYYY') || '-' || lpad(i::text, 7, '0'),
    kind, p.category, channel, priority, %(user)s, p.t0, CAST(p.t0 AS DATE),
    party, unit, p.project, building, location, center, 'Request ' || i,
    CASE WHEN one_call THEN 'Answered at once' END,
    CASE WHEN kind = 'repair' THEN 'developer' ELSE 'undecided' END,
    %(sla)s, escalation_level, one_call AND resolved1,
    CASE WHEN p.state IN ('resolved', 'closed') THEN
        CASE WHEN resolved2 THEN res2_at ELSE res_at END END,
    CASE WHEN p.state = 'closed' THEN
        CASE WHEN called2 THEN cb2_at ELSE cb_at END END,
    CASE WHEN cancelled THEN 'Called by mistake' END,
    p.state, rp.repeat_of, a.id, 0, p.t0, 0, LEAST(%(at)s, GREATEST(p.t0,
            disp_at, res_at, cb_at,
            CASE WHEN round2 THEN res2_at END,
            CASE WHEN round2 THEN cb2_at END))
FROM bench_plan AS p
LEFT JOIN bench_repeat AS rp ON rp.request = p.id
LEFT JOIN bench_alarm_member AS m ON m.request = p.id
LEFT JOIN bench_alarm AS a ON a.project = m.project
    AND a.category = m.category AND a.month = m.month
ORDER BY p.id
'''
# The work orders: one to a department of the region for each dispatched
# request (id order_base + i), done when the request was resolved; a second
# one, done, when it was reopened and resolved again (no deadlines
# generated for it); 2% of the dispatched requests were first sent to the
# wrong department, that work order cancelled (half with a cost). 60% of
# the done ones have a cost, borne by one of the five bearers.
WORK_ORDERS = '''
INSERT INTO service_center_work_order (id, request, department,
    responsible, instructions, dispatched_at, acknowledged_at, contacted_at,
    visit_planned_at, on_site_at, done_at, work_done, signed_by, signed_at,
    cost, cost_bearer, cancel_reason, state, create_uid, create_date,
    write_uid, write_date)
SELECT o.id, p.id, o.department, o.responsible, 'Request ' || p.i,
    o.dispatched_at, o.ack_at, o.contact_at, o.visit_at, o.onsite_at,
    o.done_at, CASE WHEN o.state = 'done' THEN 'Fixed' END,
    CASE WHEN o.state != 'done' THEN NULL
        WHEN p.party IS NULL THEN 'Building manager'
        ELSE 'Owner ' || (p.k + 1) END,
    o.done_at, o.cost, %(cost_bearer)s,
    CASE WHEN o.state = 'cancelled' THEN 'Sent to the wrong department' END,
    o.state, 0, o.dispatched_at, %(user)s,
    GREATEST(o.dispatched_at + INTERVAL '5 minutes', o.ack_at, o.contact_at,
        o.onsite_at, o.done_at)
FROM bench_plan AS p
JOIN (%(departments)s) AS d1(project, n, department, responsible)
    ON d1.project = p.project
    AND d1.n = floor(p.r_dept * %(department_count)s)
JOIN (%(departments)s) AS d2(project, n, department, responsible)
    ON d2.project = p.project
    AND d2.n = mod(d1.n + 1, %(department_count)s)
CROSS JOIN LATERAL (
    SELECT o.*, CASE WHEN o.r_cost < 0.6 AND o.priced
        THEN round(CAST(20 + (o.r_cost / 0.6) ^ 3 * 8000 AS NUMERIC), 2)
        END AS cost
    FROM (VALUES
        (%(order_base)s + p.i, d1.department, d1.responsible, p.disp_at,
            CASE WHEN p.wack_at <= %(at)s THEN p.wack_at END,
            CASE WHEN p.contact_at <= %(at)s THEN p.contact_at END,
            CASE WHEN p.contact_at <= %(at)s THEN p.onsite_at END,
            CASE WHEN p.onsite_at <= %(at)s THEN p.onsite_at END,
            CASE WHEN p.resolved1 THEN p.res_at END,
            CASE WHEN p.resolved1 THEN 'done'
                WHEN p.contact_at <= %(at)s THEN 'scheduled'
                WHEN p.wack_at <= %(at)s THEN 'acknowledged'
                ELSE 'dispatched' END,
            p.r_cost, p.resolved1, p.dispatched),
        (%(order_base)s + %(requests)s + p.i, d1.department, d1.responsible,
            p.cb_at + INTERVAL '30 minutes', p.cb_at + INTERVAL '40 minutes',
            p.cb_at + INTERVAL '1 hour', p.res2_at - INTERVAL '1 hour',
            p.res2_at - INTERVAL '1 hour', p.res2_at, 'done', p.r_cost2,
            TRUE, p.resolved2),
        (%(order_base)s + 2 * %(requests)s + p.i, d2.department,
            d2.responsible, p.disp_at, NULL, NULL, NULL, NULL, NULL,
            'cancelled', p.r_order / 0.01 * 0.6, TRUE,
            p.dispatched AND p.r_order < 0.02)
        ) AS o(id, department, responsible, dispatched_at, ack_at,
            contact_at, visit_at, onsite_at, done_at, state, r_cost, priced,
            present)
    WHERE o.present) AS o
ORDER BY o.dispatched_at, o.id
'''
DEADLINES = '''
INSERT INTO service_center_request_deadline (request, work_order, target,
    started_at, due_at, met_at, breached_at, state, create_uid, create_date)
SELECT p.id, CASE WHEN d.ordered THEN %(order_base)s + p.i END, d.target,
    d.started, d.due, m.met_at,
    CASE WHEN st.state = 'breached' THEN d.due + INTERVAL '30 seconds' END,
    st.state, 0, d.started
FROM bench_plan AS p
CROSS JOIN LATERAL (VALUES
    ('ack', p.t0, p.t0 + INTERVAL '10 minutes', p.own_ack_at, p.cancelled,
        TRUE, FALSE),
    ('resolution', p.t0, p.t0 + INTERVAL '7 days', p.res_at, p.cancelled,
        TRUE, FALSE),
    ('ack', p.disp_at, p.disp_at + INTERVAL '10 minutes', p.wack_at, FALSE,
        p.dispatched, TRUE),
    ('contact', p.disp_at, p.disp_at + INTERVAL '10 minutes', p.contact_at,
        FALSE, p.dispatched, TRUE),
    ('onsite', p.disp_at, p.disp_at + p.onsite_delay, p.onsite_at, FALSE,
        p.dispatched, TRUE),
    ('callback', p.res_at, p.res_at + INTERVAL '3 days',
        CASE WHEN p.called1 THEN p.cb_at END, FALSE, p.resolved1, FALSE),
    ('followup', p.res_at, p.res_at + INTERVAL '7 days',
        CASE WHEN p.called1 AND NOT p.round2 THEN p.cb_at END, p.round2,
        p.resolved1, FALSE),
    ('resolution', p.cb_at, p.cb_at + INTERVAL '7 days', p.res2_at, FALSE,
        p.round2, FALSE),
    ('callback', p.res2_at, p.res2_at + INTERVAL '3 days',
        CASE WHEN p.called2 THEN p.cb2_at END, FALSE, p.resolved2, FALSE),
    ('followup', p.res2_at, p.res2_at + INTERVAL '7 days',
        CASE WHEN p.called2 THEN p.cb2_at END, FALSE, p.resolved2, FALSE)
    ) AS d(target, started, due, met, void, present, ordered)
CROSS JOIN LATERAL (
    SELECT CASE WHEN d.met <= %(at)s THEN d.met END AS met_at) AS m
CROSS JOIN LATERAL (
    SELECT CASE WHEN d.void AND m.met_at IS NULL THEN 'void'
        WHEN m.met_at <= d.due THEN 'met'
        -- the sweep runs every minute
        WHEN m.met_at IS NOT NULL
            OR d.due < %(at)s - INTERVAL '1 minute' THEN 'breached'
        ELSE 'pending' END AS state) AS st
WHERE d.present
-- as production writes them: each when its step starts
ORDER BY d.started, p.id
'''
CALLBACKS = '''
INSERT INTO service_center_callback (request, level, %(self_columns)s
    due_at, attempts, reached, confirmed_closed, satisfaction, done_by,
    done_at, state, create_uid, create_date, write_uid, write_date)
SELECT p.id, 'center', %(self_values)s
    c.started + INTERVAL '3 days', c.attempts, c.done,
    c.done AND c.confirmed, CASE WHEN c.done THEN c.satisfaction END,
    CASE WHEN c.done THEN %(user)s END, CASE WHEN c.done THEN c.done_at END,
    CASE WHEN c.done THEN 'done' ELSE 'pending' END, 0, c.started,
    CASE WHEN c.done THEN %(user)s END, CASE WHEN c.done THEN c.done_at END
FROM bench_plan AS p
CROSS JOIN LATERAL (VALUES
    (p.res_at, p.called1, p.cb_at,
        CASE WHEN p.unreachable THEN
            CASE WHEN p.res_at + INTERVAL '2 days' < %(at)s THEN 3 ELSE 1 END
            WHEN p.r_cb > 0.8 THEN 1 ELSE 0 END,
        NOT p.round2 OR (p.r_sat >= 0.3 AND p.r_sat < 0.5),
        CASE WHEN p.round2 THEN
            CASE WHEN p.r_sat < 0.3 THEN 'fairly_satisfied'
                WHEN p.r_sat < 0.75 THEN 'dissatisfied'
                ELSE 'very_dissatisfied' END
            WHEN p.r_sat2 < 0.5 THEN 'very_satisfied'
            WHEN p.r_sat2 < 0.85 THEN 'satisfied'
            ELSE 'fairly_satisfied' END,
        p.resolved1),
    (p.res2_at, p.called2, p.cb2_at, 0, TRUE,
        CASE WHEN p.r_sat2 < 0.6 THEN 'satisfied' ELSE 'very_satisfied' END,
        p.resolved2)
    ) AS c(started, done, done_at, attempts, confirmed, satisfaction,
        present)
WHERE c.present
ORDER BY c.started
'''

# The regions' and headquarters' call-backs of samples of each month's
# closed requests, drawn on the first of the next month, done within 25
# days; a few contradict the centre (the request is left closed here)
SAMPLES = '''
INSERT INTO service_center_callback (request, level, mode, due_at, attempts,
    reached, confirmed_closed, satisfaction, contradicts, done_by, done_at,
    state, create_uid, create_date, write_uid, write_date)
SELECT p.id, l.level, 'sampled', x.drawn + INTERVAL '1 month', 0, x.done,
    x.done AND NOT x.contra,
    CASE WHEN NOT x.done THEN NULL
        WHEN x.contra THEN 'dissatisfied'
        WHEN x.r_sat < 0.6 THEN 'satisfied'
        ELSE 'very_satisfied' END,
    x.done AND x.contra, CASE WHEN x.done THEN %(user)s END,
    CASE WHEN x.done THEN x.done_at END,
    CASE WHEN x.done THEN 'done' ELSE 'pending' END, 0, x.drawn,
    CASE WHEN x.done THEN %(user)s END, CASE WHEN x.done THEN x.done_at END
FROM bench_plan AS p
CROSS JOIN LATERAL (%(sample_rates)s) AS l(level, rate)
CROSS JOIN LATERAL (
    SELECT x.*, x.done_at <= %(at)s AS done
    FROM (
        SELECT x.*, x.drawn + x.r_when * INTERVAL '25 days' AS done_at
        FROM (
            SELECT date_trunc('month', CASE WHEN p.called2 THEN p.cb2_at
                        ELSE p.cb_at END) + INTERVAL '1 month' AS drawn,
                random() AS r_pick, random() AS r_when,
                random() < 0.06 AS contra, random() AS r_sat
                -- p.id: drawn anew for each request and level
                WHERE p.id IS NOT NULL AND l.level IS NOT NULL) AS x) AS x
    ) AS x
WHERE p.state = 'closed' AND x.r_pick < l.rate AND x.drawn <= %(at)s
ORDER BY x.drawn
'''


def populate(name, skeleton, requests, units, period):
    """Generate the units and their owners, the alarms, the requests, their
    work orders, deadlines and call-backs in SQL; return the problems found
    (NOT NULL columns left empty)"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    party_base = common.populate_owners_reported(name, units)
    if party_base is None:
        return ['owners']
    party_base -= 1
    with common.Timer() as timer:
        with Transaction().start(name, 0) as transaction:
            cursor = transaction.connection.cursor()
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute('SELECT COALESCE(MAX(id), 0) '
                'FROM service_center_unit')
            unit_base, = cursor.fetchone()
            insert_units(cursor, skeleton, units, unit_base, party_base)
            common.reset_sequence('service_center_unit')
            transaction.commit()
    print('%d units + %d ownerships in SQL: %.1f s' % (
            units, units, timer.seconds))

    with Transaction().start(name, 0) as transaction:
        SLA = Pool().get('service_center.sla')
        sla, = SLA.search([
                ('kind', '=', None), ('category', '=', None),
                ('priority', '=', None)], limit=1)
    values = {
        'at': quote(period.at), 'start': quote(period.start),
        'step': (period.end - period.start).total_seconds() / requests,
        'requests': requests, 'units': units, 'user': common.USER,
        'sla': sla.id, 'party_base': party_base,
        'projects': values_sql(
            (p, c, s) for p, _, c, s in skeleton['projects']),
        'departments': values_sql(skeleton['departments']),
        'department_count': len(DEPARTMENTS),
        'cost_bearer': COST_BEARER, 'alarm_rate': ALARM_RATE,
        **DELAYS, **NATURE,
        }
    steps = [
        ('plan of the requests', PLAN),
        ('repeating complaints', REPEATS),
        ('repeat_of', REPEAT_OF),
        ('alarm problems', ALARM_KEYS),
        ('alarm requests', ALARM_MEMBERS),
        ('alarm plan', ALARM_PLAN),
        ('alarms', ALARMS),
        ('requests', REQUESTS),
        ('work orders', WORK_ORDERS),
        ('deadlines', DEADLINES),
        ('call-backs', CALLBACKS),
        ]
    with Transaction().start(name, 0) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute('SELECT setseed(%s)' % SEED)
        cursor.execute(LATE % values)
        cursor.execute('SELECT COALESCE(MAX(id), 0) FROM service_center_unit')
        values['unit_base'] = cursor.fetchone()[0] - units
        for table, base in [
                ('service_center_request', 'request_base'),
                ('service_center_work_order', 'order_base'),
                ('service_center_alarm', 'alarm_base')]:
            cursor.execute('SELECT COALESCE(MAX(id), 0) FROM %s' % table)
            values[base], = cursor.fetchone()
        steps += callback_steps(cursor, values)
        for what, query in steps:
            with common.Timer() as timer:
                cursor.execute(query % values)
            print('%-22s %10d rows in SQL: %6.1f s' % (
                    what, cursor.rowcount, timer.seconds))
        cursor.execute('DROP TABLE bench_plan, bench_repeat, bench_alarm_key, '
            'bench_alarm_member, bench_alarm')
        for table in ['service_center_request', 'service_center_work_order',
                'service_center_alarm']:
            common.reset_sequence(table)
        missing = common.check_not_null(GENERATED)
        transaction.commit()
    # The evaluation facts, as the module computes them when it is
    # installed on a database with requests
    with common.Timer() as timer, Transaction().start(name, 0) as transaction:
        transaction.connection.cursor().execute(
            "SET LOCAL work_mem = '256MB'")
        Pool().get('service_center.kpi.fact').refresh()
        transaction.commit()
    print('%-22s %10s in SQL: %6.1f s' % (
            'evaluation facts', '', timer.seconds))
    with common.Timer() as timer:
        common.analyze(name, GENERATED)
    print('VACUUM ANALYZE: %.1f s' % timer.seconds)
    return ['NOT NULL columns left empty: ' + ', '.join(missing)] if (
        missing) else []


def callback_steps(cursor, values):
    """Fill the columns of the call-backs' mode, when they have one, and
    return the step of the sampled call-backs then"""
    cursor.execute('SELECT column_name FROM information_schema.columns '
        "WHERE table_name = 'service_center_callback'")
    columns = {c for c, in cursor.fetchall()}
    values['self_columns'] = values['self_values'] = ''
    if 'mode' in columns:
        values['self_columns'] += 'mode, '
        values['self_values'] += "'self', "
    if 'contradicts' in columns:
        values['self_columns'] += 'contradicts, '
        values['self_values'] += 'FALSE, '
    try:
        from service_center.supervision import SAMPLE_RATES
    except ImportError:
        return []
    if not {'mode', 'contradicts'} <= columns:
        return []
    values['sample_rates'] = values_sql(
        (level, float(rate)) for level, rate in sorted(SAMPLE_RATES.items()))
    return [('sampled call-backs', SAMPLES)]


def insert_units(cursor, skeleton, units, unit_base, party_base):
    per_project = skeleton['per_project']
    buildings = values_sql(skeleton['buildings'])
    cursor.execute(
        'INSERT INTO service_center_unit (id, project, building, entrance, '
        'floor, room, code, area, handover_date, create_uid, create_date) '
        'SELECT %(base)d + k + 1, b.project, b.id, CAST(e AS VARCHAR), f, '
        'CAST(f * 100 + mod(u, 4) + 1 AS VARCHAR), '
        "b.name || '-' || e || '-' || (f * 100 + mod(u, 4) + 1), "
        '60 + mod(k * 37, 90), b.handover, 0, b.handover '
        'FROM (SELECT k, u, u / 120 + 1 AS e, mod(u, 120) / 4 + 1 AS f, '
        'k / %(per_project)d AS p, mod(k, %(per_project)d) / %(per)d AS bi '
        'FROM (SELECT k, mod(mod(k, %(per_project)d), %(per)d) AS u '
        'FROM generate_series(0, %(units)d - 1) AS s(k)) AS s) AS s '
        'JOIN (%(buildings)s) AS b(p, bi, id, project, name, handover) '
        'ON b.p = s.p AND b.bi = s.bi' % {
            'base': unit_base, 'per_project': per_project,
            'per': UNITS_PER_BUILDING, 'units': units,
            'buildings': buildings})
    assert cursor.rowcount == units, cursor.rowcount
    cursor.execute(
        'INSERT INTO service_center_ownership (unit, party, role, share, '
        'start_date, create_uid, create_date) '
        "SELECT id, %d + id - %d, 'owner', 100, handover_date, 0, "
        'create_date FROM service_center_unit WHERE id > %d' % (
            party_base, unit_base, unit_base))


def quote(value):
    return "TIMESTAMP '%s'" % value.isoformat(sep=' ')


def row_counts(name, period, region):
    "Return [(what, count)] of the generated rows and of the month's"
    from trytond.transaction import Transaction
    counts = []
    with Transaction().start(name, 0, readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        for table in ['party_party'] + GENERATED:
            cursor.execute('SELECT COUNT(*) FROM "%s"' % table)
            counts.append((table, cursor.fetchone()[0]))
        month = ('FROM service_center_request AS r '
            'JOIN service_center_center AS c ON c.id = r.center '
            'WHERE r.received_date BETWEEN %s AND %s '
            "AND r.state NOT IN ('draft', 'cancelled')")
        params = [period.from_date, period.to_date]
        cursor.execute('SELECT COUNT(*) ' + month, params)
        counts.append(('requests of the month, group', cursor.fetchone()[0]))
        cursor.execute(
            'SELECT COUNT(*) ' + month + ' AND c.region = %s',
            params + [region])
        counts.append(('requests of the month, region', cursor.fetchone()[0]))
        cursor.execute('SELECT COUNT(*) FROM service_center_request_deadline '
            'AS d WHERE d.request IN (SELECT r.id ' + month + ')', params)
        counts.append(('their deadlines, group', cursor.fetchone()[0]))
        cursor.execute(
            'SELECT state, COUNT(*) FROM service_center_request '
            'GROUP BY state ORDER BY state')
        counts.append(('requests by state', ', '.join(
                    '%s %d' % r for r in cursor.fetchall())))
        cursor.execute(
            'SELECT level, state, COUNT(*) FROM service_center_callback '
            'GROUP BY level, state ORDER BY level, state')
        counts.append(('call-backs by level and state', ', '.join(
                    '%s %s %d' % r for r in cursor.fetchall())))
        cursor.execute(
            'SELECT state, COUNT(*), COUNT(cost) '
            'FROM service_center_work_order GROUP BY state ORDER BY state')
        counts.append(('work orders by state (with a cost)', ', '.join(
                    '%s %d (%d)' % r for r in cursor.fetchall())))
        cursor.execute(
            'SELECT cost_bearer, COUNT(cost), SUM(cost) '
            "FROM service_center_work_order WHERE state != 'cancelled' "
            'GROUP BY cost_bearer ORDER BY cost_bearer')
        counts.append(('costs by bearer (count, sum)', ', '.join(
                    '%s %d %s' % r for r in cursor.fetchall())))
        cursor.execute(
            "SELECT COUNT(*), COUNT(repeat_of) FROM service_center_request "
            "WHERE kind = 'complaint' AND state != 'cancelled'")
        counts.append(('complaints, repeating one', '%d, %d' % (
                    cursor.fetchone())))
        cursor.execute(
            'SELECT state, COUNT(*) FROM service_center_alarm '
            'GROUP BY state ORDER BY state')
        counts.append(('alarms by state', ', '.join(
                    '%s %d' % r for r in cursor.fetchall())))
        cursor.execute(
            'SELECT COUNT(*) ' + month + ' AND r.alarm IS NOT NULL', params)
        counts.append(('requests of the month with an alarm, group',
                cursor.fetchone()[0]))
    return counts


# The same figures by hand, in one pass over the month's requests: each
# request's deadlines, call-backs and work orders counted through their
# index on the request, then one GROUP BY per key of the report (centre,
# region, or none for the group)
HAND_SQL = '''
SELECT %(key_columns)s, q.requests, q.one_call,
    CAST(q.one_call AS FLOAT) / q.requests AS one_call_rate,
    q.reopened, CAST(q.reopened AS FLOAT) / q.requests AS reopen_rate,
    q.center_reached AS callbacks, q.center_satisfied AS satisfied,
    %(callback_rates)s,
    %(kind_columns)s,
    %(level_rates)s,
    %(target_rates)s,
    q.repeat_complaints,
    CAST(q.repeat_complaints AS FLOAT) / NULLIF(q.complaint, 0)
        AS repeat_complaint_rate,
    q.undispatched, q.uncalled,
    CAST(q.undispatched + q.uncalled AS FLOAT) / q.requests
        AS omission_rate,
    q.undecided_alarms,
    %(cost_columns)s
FROM (
    SELECT %(key)s AS key, COUNT(*) AS requests,
        COUNT(*) FILTER (WHERE r.one_call) AS one_call,
        %(kinds)s,
        %(levels)s,
        %(target_sums)s,
        %(callback_sums)s,
        COUNT(*) FILTER (WHERE cb.reopened) AS reopened,
        COUNT(*) FILTER (WHERE r.repeat_of IS NOT NULL)
            AS repeat_complaints,
        COUNT(*) FILTER (WHERE d.undispatched AND r.state = 'registered')
            AS undispatched,
        COUNT(*) FILTER (WHERE d.uncalled) AS uncalled,
        COUNT(DISTINCT a.id) FILTER (WHERE a.state IN ('open', 'meeting'))
            AS undecided_alarms,
        %(cost_sums)s
    FROM service_center_request AS r
    JOIN service_center_center AS c ON c.id = r.center
    LEFT JOIN service_center_alarm AS a ON a.id = r.alarm
    CROSS JOIN LATERAL (
        SELECT %(targets)s,
            -- pending (not met) and past due
            COALESCE(bool_or(d.target = 'ack' AND d.work_order IS NULL
                    AND d.met_at IS NULL), FALSE) AS undispatched,
            COALESCE(bool_or(d.target = 'callback' AND d.met_at IS NULL),
                FALSE) AS uncalled
        FROM service_center_request_deadline AS d
        WHERE d.request = r.id AND d.state != 'void'
            AND (d.met_at IS NOT NULL OR d.due_at < %%(at)s)) AS d
    CROSS JOIN LATERAL (
        SELECT %(callbacks)s,
            COALESCE(bool_or(%(done)s AND NOT (%(accepted)s)), FALSE)
                AS reopened
        FROM service_center_callback AS cb
        WHERE cb.request = r.id) AS cb
    CROSS JOIN LATERAL (
        SELECT %(order_costs)s
        FROM service_center_work_order AS o
        WHERE o.request = r.id AND o.state != 'cancelled') AS o
    WHERE r.received_date BETWEEN %%(from_date)s AND %%(to_date)s
        AND r.state NOT IN ('draft', 'cancelled')
        %(region)s
    %(group_by)s
    HAVING COUNT(*) > 0) AS q
%(join)s
ORDER BY q.requests DESC, q.key
'''
# What the hand SQL groups by, for each key of the report: the expression,
# the GROUP BY, the key columns of the result and what they need
GROUPINGS = {
    'center': ('r.center', 'GROUP BY r.center',
        'q.key AS center, c.region',
        'JOIN service_center_center AS c ON c.id = q.key'),
    'region': ('c.region', 'GROUP BY c.region', 'q.key AS region', ''),
    'id': ('1', '', 'q.key AS id', ''),
    }
# The figures of the sampled call-backs (levels 2 and 3), when the report
# has them
SAMPLE_FIELDS = [
    'region_satisfaction_rate', 'hq_satisfaction_rate', 'satisfaction_gap',
    'contradicted']
COST_FIELDS = ['cost_%s' % b for b in COST_BEARERS] + ['cost']
# The figures that add up from centres to regions to the group
ADDITIVE = (['requests', 'one_call', 'reopened', 'callbacks', 'satisfied',
        'contradicted', 'repeat_complaints', 'undispatched', 'uncalled',
        'undecided_alarms'] + KINDS + COST_FIELDS)


class Scope:
    """A report timed: the model, what its rows are keyed by and whether
    the context restricts it to the region"""

    def __init__(self, label, model, key, regional):
        self.label, self.model, self.key = label, model, key
        self.regional = regional


SCOPES = [
    # The centres' report for one region, then for the whole group
    Scope('region', 'service_center.kpi.center', 'center', True),
    Scope('group', 'service_center.kpi.center', 'center', False),
    # A row per region, and one row for the group
    Scope('kpi.region', 'service_center.kpi.region', 'region', False),
    Scope('kpi.group', 'service_center.kpi.group', 'id', False),
    ]


def hand_sql(scope, region, fields_names):
    "The hand-written query of the scope, with pyformat parameters"
    done = "cb.state = 'done' AND cb.reached"
    accepted = 'cb.confirmed_closed AND cb.satisfaction IN (%s)' % ', '.join(
        "'%s'" % s for s in SATISFIED)
    samples = set(SAMPLE_FIELDS) <= set(fields_names)
    counts = []
    for level in ['center', 'region', 'hq'] if samples else ['center']:
        counts.append('%s_reached' % level)
        counts.append('%s_satisfied' % level)
    callbacks = []
    for name in counts:
        level, what = name.split('_')
        callbacks.append("COUNT(*) FILTER (WHERE %s AND cb.level = '%s'%s) "
            'AS %s' % (done, level,
                ' AND ' + accepted if what == 'satisfied' else '', name))
    if samples:
        callbacks.append(
            'COUNT(*) FILTER (WHERE cb.contradicts) AS contradicted')
        counts.append('contradicted')

    def rate(satisfied, reached):
        return 'CAST(%s AS FLOAT) / NULLIF(%s, 0)' % (satisfied, reached)

    rates = [rate('q.center_satisfied', 'q.center_reached')
        + ' AS satisfaction_rate']
    if samples:
        rates += [
            rate('q.region_satisfied', 'q.region_reached')
            + ' AS region_satisfaction_rate',
            rate('q.hq_satisfied', 'q.hq_reached')
            + ' AS hq_satisfaction_rate',
            '%s - %s AS satisfaction_gap' % (
                rate('q.center_satisfied', 'q.center_reached'),
                rate('q.region_satisfied + q.hq_satisfied',
                    'q.region_reached + q.hq_reached')),
            'q.contradicted',
            ]
    targets = ['%s_%s' % (t, w) for t in TARGETS
        for w in ['counted', 'on_time']]
    key, group_by, key_columns, join = GROUPINGS[scope.key]
    return HAND_SQL % {
        'key': key, 'group_by': group_by, 'key_columns': key_columns,
        'join': join,
        'region': 'AND c.region = %(region)s' if region else '',
        'kinds': ',\n        '.join(
            "COUNT(*) FILTER (WHERE r.kind = '%s') AS %s" % (k, k)
            for k in KINDS),
        'levels': ',\n        '.join(
            'COUNT(*) FILTER (WHERE r.escalation_level >= %d) AS level%d'
            % (n, n) for n in LEVELS),
        'targets': ',\n            '.join(
            "COUNT(*) FILTER (WHERE d.target = '%(t)s') AS %(t)s_counted, "
            "COUNT(*) FILTER (WHERE d.target = '%(t)s' "
            'AND d.met_at <= d.due_at) AS %(t)s_on_time' % {'t': t}
            for t in TARGETS),
        'target_sums': ',\n        '.join(
            'CAST(SUM(d.%s) AS INTEGER) AS %s' % (n, n) for n in targets),
        'callbacks': ',\n            '.join(callbacks),
        'callback_sums': ',\n        '.join(
            'CAST(SUM(cb.%s) AS INTEGER) AS %s' % (n, n) for n in counts),
        'done': done,
        'accepted': accepted,
        'order_costs': ',\n            '.join(
            ["SUM(o.cost) FILTER (WHERE o.cost_bearer = '%s') AS cost_%s"
                % (b, b) for b in COST_BEARERS] + ['SUM(o.cost) AS cost']),
        'cost_sums': ',\n        '.join(
            'COALESCE(SUM(o.%s), 0) AS %s' % (n, n) for n in COST_FIELDS),
        'cost_columns': ', '.join('q.%s' % n for n in COST_FIELDS),
        'callback_rates': ',\n    '.join(rates),
        'kind_columns': ', '.join('q.%s' % k for k in KINDS),
        'level_rates': ',\n    '.join(
            'CAST(q.level%d AS FLOAT) / q.requests AS level%d_rate'
            % (n, n) for n in LEVELS),
        'target_rates': ',\n    '.join(
            'CAST(q.%(t)s_on_time AS FLOAT) / NULLIF(q.%(t)s_counted, 0) '
            'AS %(t)s_rate' % {'t': t} for t in TARGETS),
        }


def clock(name, at):
    "Patch the clock every module reads to at"
    from property_register import clock
    return mock.patch.object(clock, 'now', lambda: at)


def server_settings(name):
    "The server's settings that decide the report's plans"
    from trytond.transaction import Transaction
    with Transaction().start(name, 0, readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        values = []
        for setting in ['shared_buffers', 'work_mem', 'effective_cache_size',
                'random_page_cost', 'max_parallel_workers_per_gather',
                'jit']:
            cursor.execute('SHOW %s' % setting)
            values.append('%s %s' % (setting, cursor.fetchone()[0]))
    return ', '.join(values)


def report_fields(name, model):
    from trytond.pool import Pool
    KPI = Pool(name).get(model)
    return sorted(set(KPI._fields) - BASE_FIELDS)


def run_orm(model, period, region, fields_names):
    "The report through the ORM; return (seconds, rows)"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    KPI = Pool().get(model)
    with common.Timer() as timer:
        with Transaction().set_context(
                from_date=period.from_date, to_date=period.to_date,
                region=region):
            rows = KPI.search_read([], fields_names=list(fields_names))
    return timer.seconds, rows


def hand_params(period, region):
    return {
        'from_date': period.from_date, 'to_date': period.to_date,
        'at': period.at, 'region': region}


def run_hand(cursor, scope, period, region, fields_names):
    "The report in hand-written SQL; return (seconds, rows as dicts)"
    with common.Timer() as timer:
        cursor.execute(hand_sql(scope, region, fields_names),
            hand_params(period, region))
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r)) for r in cursor.fetchall()]
    return timer.seconds, rows


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return (a is None) == (b is None) and (
            a is None or abs(a - b) <= 1e-9)
    return a == b


def differences(orm, hand, fields_names, key):
    """Return what differs between the rows of the ORM and of the hand
    SQL, matched by key"""
    problems = []
    orm = {r[key]: r for r in orm}
    hand = {r[key]: r for r in hand}
    if set(orm) != set(hand):
        problems.append('%s: ORM %s, hand SQL %s' % (
                key, sorted(orm), sorted(hand)))
    for value in sorted(set(orm) & set(hand)):
        for field in fields_names:
            if field not in hand[value]:
                continue
            a, b = orm[value][field], hand[value][field]
            if not same(a, b):
                problems.append('%s %s %s: ORM %r, hand SQL %r' % (
                        key, value, field, a, b))
    return problems


def totals(rows, fields_names):
    "The sums of the additive figures of the rows"
    return {f: sum(r[f] for r in rows)
        for f in ADDITIVE if f in fields_names}


def unchecked(fields_names):
    "The report's fields the hand SQL does not compute"
    computed = set(['center', 'region', 'requests', 'one_call',
            'one_call_rate', 'reopened', 'reopen_rate', 'callbacks',
            'satisfied', 'satisfaction_rate', 'repeat_complaints',
            'repeat_complaint_rate', 'undispatched', 'uncalled',
            'omission_rate', 'undecided_alarms'] + KINDS + COST_FIELDS
        + ['level%d_rate' % n for n in LEVELS]
        + ['%s_rate' % t for t in TARGETS])
    if set(SAMPLE_FIELDS) <= set(fields_names):
        computed.update(SAMPLE_FIELDS)
    return sorted(set(fields_names) - computed)


def set_local(cursor, settings):
    for setting in settings:
        cursor.execute('SET LOCAL %s = %s' % setting)


def measure(name, context, period, region, fields, runs, settings):
    """Run the rounds; return {(source, scope label): [seconds]} and the
    rows of the first round {(source, scope label): rows}"""
    from trytond.transaction import Transaction
    times, results = {}, {}
    for round_ in range(runs + 1):
        for scope in SCOPES:
            value = region if scope.regional else None
            fields_names = fields[scope.model]
            with Transaction().start(
                    name, common.USER, context=context,
                    readonly=True) as transaction:
                set_local(transaction.connection.cursor(), settings)
                seconds, rows = run_orm(
                    scope.model, period, value, fields_names)
                times.setdefault(('ORM', scope.label), []).append(seconds)
                results.setdefault(('ORM', scope.label), rows)
                cursor = transaction.connection.cursor()
                seconds, rows = run_hand(
                    cursor, scope, period, value, fields_names)
                times.setdefault(('hand SQL', scope.label), []).append(
                    seconds)
                results.setdefault(('hand SQL', scope.label), rows)
    return times, results


def explain(name, context, period, region, fields, settings):
    """Print EXPLAIN (ANALYZE, BUFFERS) of the statements the ORM runs for
    each scope and of its hand SQL"""
    for scope in SCOPES:
        explain_scope(name, context, period,
            region if scope.regional else None, fields[scope.model],
            settings, scope)


def explain_scope(name, context, period, region, fields_names, settings,
        scope):
    from trytond.transaction import Transaction
    logger = logging.getLogger('trytond.backend.postgresql.database')
    statements = []

    class Collect(logging.Handler):
        def emit(self, record):
            statements.append(record.getMessage())

    handler = Collect(logging.DEBUG)
    level = logger.level
    with Transaction().start(
            name, common.USER, context=context,
            readonly=True) as transaction:
        set_local(transaction.connection.cursor(), settings)
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        try:
            run_orm(scope.model, period, region, fields_names)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
        cursor = transaction.connection.cursor()
        queries = [(s, None) for s in statements
            if 'service_center_request' in s]
        queries.append((hand_sql(scope, region, fields_names),
                hand_params(period, region)))
        for number, (query, params) in enumerate(queries, 1):
            what = 'hand SQL' if params else 'ORM statement %d' % number
            print('--- EXPLAIN ANALYZE, %s, %s:' % (scope.label, what))
            print(query if len(query) < 4000 else query[:4000] + ' ...')
            cursor.execute('EXPLAIN (ANALYZE, BUFFERS) ' + query, params)
            for line, in cursor.fetchall():
                print('    ' + line)


# The columns printed, in two tables, and their short names
PRINTED = [
    ['requests', 'one_call_rate', 'reopen_rate', 'satisfaction_rate',
        'region_satisfaction_rate', 'hq_satisfaction_rate', 'contradicted']
    + ['level%d_rate' % n for n in LEVELS]
    + ['%s_rate' % t for t in TARGETS],
    ['complaint', 'repeat_complaints', 'repeat_complaint_rate',
        'undispatched', 'uncalled', 'omission_rate', 'undecided_alarms']
    + COST_FIELDS,
    ]
SHORT = {
    'requests': 'reqs', 'one_call_rate': 'one_call', 'reopen_rate': 'reopen',
    'satisfaction_rate': 'satisf', 'region_satisfaction_rate': 'reg sat',
    'hq_satisfaction_rate': 'hq sat', 'contradicted': 'contra',
    'resolution_rate': 'resol', 'callback_rate': 'callbk',
    'complaint': 'complnt', 'repeat_complaints': 'repeats',
    'repeat_complaint_rate': 'rep.rate', 'undispatched': 'undisp',
    'uncalled': 'uncalled', 'omission_rate': 'omission',
    'undecided_alarms': 'alarms', 'cost_developer': 'developer',
    'cost_contractor': 'contractor', 'cost_property': 'property',
    'cost_owner': 'owner', 'cost_undecided': 'undecided', 'cost': 'cost',
    }


def print_report(rows, fields_names, label):
    "Print the rows of a report, a line each, in two tables"
    for columns in PRINTED:
        columns = [c for c in columns if c in fields_names]
        widths = {c: 10 if c.startswith('cost') else 8 for c in columns}
        print('%8s ' % '' + ' '.join(
                '%*s' % (widths[c], SHORT.get(c, c.replace('_rate', '')))
                for c in columns))
        for row in rows:
            print('%8s ' % label(row) + ' '.join(
                    '%*s' % (widths[c], '-' if row[c] is None else (
                            '%.3f' % row[c] if isinstance(row[c], float)
                            else '%.0f' % row[c]
                            if c.startswith('cost') else row[c]))
                    for c in columns))


def verdict(met):
    return 'met' if met else 'MISSED'


def check(results, fields, region):
    "Return the problems: ORM vs hand SQL, and between the scopes"
    problems = []
    for scope in SCOPES:
        problems += ['%s: %s' % (scope.label, p) for p in differences(
                results[('ORM', scope.label)],
                results[('hand SQL', scope.label)],
                fields[scope.model], scope.key)]
        if not results[('ORM', scope.label)]:
            problems.append('the %s report is empty' % scope.label)
    centre_fields = fields['service_center.kpi.center']
    in_region = [r for r in results[('ORM', 'group')]
        if r['region'] == region]
    problems += ['region within the group: %s' % p for p in differences(
            results[('ORM', 'region')], in_region, centre_fields, 'center')]
    # The centres, the regions and the group count the same requests
    sums = {label: totals(results[('ORM', label)], centre_fields)
        for label in ['group', 'kpi.region', 'kpi.group']}
    for label in ['kpi.region', 'kpi.group']:
        for field, value in sums['group'].items():
            if sums[label].get(field, value) != value:
                problems.append('%s total %s: %r, centres %r' % (
                        label, field, sums[label][field], value))
    return problems


def main():
    args = parse_args()
    if common.BACKEND != 'postgresql':
        print('bench/kpi_report.py needs PostgreSQL (the targets are for '
            'it and the data is generated in its SQL): set '
            'TRYTOND_DATABASE_URI=postgresql://user:password@host:5432/ ; '
            'SKIPPED')
        return 0
    period = Period(args.month)
    name = common.database_name('bench_kpi')
    common.print_start()
    common.create_database_reported(name, keep=args.keep)

    with common.Timer() as timer:
        context, skeleton = setup(name, args.units)
    print('skeleton through the ORM (%d regions, %d projects, %d centres, '
        '%d departments, %d buildings): %.1f s' % (
            len(skeleton['regions']), len(skeleton['projects']),
            len({c for _, _, c, _ in skeleton['projects']}),
            len({d for _, _, d, _ in skeleton['departments']}),
            len(skeleton['buildings']), timer.seconds))
    with common.Timer() as timer:
        problems = populate(
            name, skeleton, args.requests, args.units, period)
    print('generated in %.1f s' % timer.seconds)
    if problems:
        print('THE GENERATED DATA IS NOT VALID: ' + '; '.join(problems))
        return 1
    region = skeleton['regions'][0]
    print('report month %s to %s, clock %s UTC; region %d (%d centres)' % (
            period.from_date, period.to_date, period.at, region,
            len(CENTRE_PROJECTS)))
    for what, count in row_counts(name, period, region):
        print('%-36s %s' % (what + ':', count))

    print('postgresql: %s%s' % (server_settings(name), ''.join(
                '; SET LOCAL %s = %s' % s for s in args.settings)))
    fields = {scope.model: report_fields(name, scope.model)
        for scope in SCOPES}
    with clock(name, period.at):
        times, results = measure(
            name, context, period, region, fields, args.runs,
            args.settings)
        if args.explain:
            explain(name, context, period, region, fields, args.settings)

    codes, region_codes = skeleton['codes'], skeleton['region_codes']
    print('group report of the centres (ORM, service_center.kpi.center):')
    print_report(results[('ORM', 'group')],
        fields['service_center.kpi.center'],
        lambda r: codes.get(r['center'], r['center']))
    print('regions (ORM, service_center.kpi.region):')
    print_report(results[('ORM', 'kpi.region')],
        fields['service_center.kpi.region'],
        lambda r: region_codes.get(r['region'], r['region']))
    print('group (ORM, service_center.kpi.group):')
    print_report(results[('ORM', 'kpi.group')],
        fields['service_center.kpi.group'], lambda r: 'group')
    problems = check(results, fields, region)
    missing = sorted(set().union(*map(unchecked, fields.values())))
    if missing:
        print('fields of the reports not checked against the hand SQL: %s'
            % ', '.join(missing))

    medians = {}
    for scope in SCOPES:
        for source in ['ORM', 'hand SQL']:
            values = times[source, scope.label]
            first, rest = values[0], values[1:]
            medians[source, scope.label] = statistics.median(rest)
            print('%-24s first %7.3f s   median %7.3f s (x%d)   runs %s' % (
                    '%s, %s:' % (source, scope.label), first,
                    medians[source, scope.label], len(rest),
                    ', '.join('%.3f' % s for s in rest)))
    for scope in SCOPES:
        orm, hand = medians['ORM', scope.label], medians[
            'hand SQL', scope.label]
        print('ratio ORM / hand SQL, %s (medians): %.2fx' % (
                scope.label, orm / hand))
    for scope in SCOPES:
        orm, hand = medians['ORM', scope.label], medians[
            'hand SQL', scope.label]
        print('target %s report < %d s (median %.3f s): %s' % (
                scope.label, TARGET_SECONDS, orm,
                verdict(orm < TARGET_SECONDS)))
        print('target %s report within %dx of hand SQL (%.2fx): %s' % (
                scope.label, TARGET_RATIO, orm / hand,
                verdict(orm / hand <= TARGET_RATIO)))
    if args.requests != TARGET_REQUESTS or args.units != TARGET_UNITS:
        print('(%d requests and %d units here: the targets are for %d and '
            '%d)' % (args.requests, args.units, TARGET_REQUESTS,
                TARGET_UNITS))
    common.print_load('end')
    if problems:
        print('THE ORM REPORTS AND THE HAND SQL DIFFER:')
        for problem in problems:
            print('  ' + problem)
        return 1
    print('the ORM reports and the hand SQL give the same figures '
        '(%d centres in the group, %d in the region, %d regions, the '
        'group), and the centres add up to the regions and the group' % (
            len(results[('ORM', 'group')]), len(results[('ORM', 'region')]),
            len(results[('ORM', 'kpi.region')])))
    return 0


if __name__ == '__main__':
    sys.exit(main())
