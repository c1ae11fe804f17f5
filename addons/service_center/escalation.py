# This file is part of the coastal customer service project.
"""Automatic escalation (自动升级): a breached deadline, a dissatisfied owner
or a missed visit raises the request one level, and the next person up the
ladder hears of it"""
import collections

from property_register import clock
from property_register.access import ReadRulesMixin
from property_register.common import MAX_IDS, NoDeleteMixin
from sql import Flavor, Literal
from sql.functions import CurrentTimestamp

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from .common import ESCALATION_LEVELS, TOP_LEVEL

REASONS = [
    ('deadline', "Deadline Passed"),
    ('missed_visit', "Agreed Visit Missed"),
    ('dissatisfied', "Owner Dissatisfied"),
    ('unreachable', "Owner Unreachable at Call-back"),
    ('hotline_400', "Raised at Group Level (400 Hotline)"),
    ]
LEVELS = [(k, v) for k, v in ESCALATION_LEVELS]


class Escalation(ReadRulesMixin, NoDeleteMixin, ModelSQL, ModelView):
    __string__ = "Escalation"
    __name__ = 'service_center.escalation'
    request = fields.Many2One(
        'service_center.request', "Request", required=True,
        ondelete='RESTRICT', readonly=True)
    from_level = fields.Selection(
        [(str(k), v) for k, v in LEVELS], "From Level", required=True,
        readonly=True)
    to_level = fields.Selection(
        [(str(k), v) for k, v in LEVELS], "To Level", required=True,
        readonly=True)
    reason = fields.Selection(
        REASONS, "Reason", required=True, readonly=True)
    deadline = fields.Many2One(
        'service_center.request.deadline', "Deadline", readonly=True)
    at = fields.Timestamp("At", required=True, readonly=True)
    notified = fields.Text(
        "Notified", readonly=True,
        help="Who was told.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('request')
        cls._order = [('at', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        return '%s %s→%s' % (
            self.request.rec_name, self.from_level, self.to_level)

    @classmethod
    def sweep(cls):
        """Escalate every request with a newly passed deadline (scheduled
        action)"""
        at = clock.now()
        breaches = cls._claim_breaches(at)
        if not breaches:
            return 0
        steps = [(request, 'missed_visit' if target == 'visit'
                else 'deadline', id_, work_order)
            for id_, request, work_order, target in breaches]
        return cls._escalate(steps, at)

    @classmethod
    def _claim_breaches(cls, at):
        """Mark breached the pending deadlines due by at and return them as
        (id, request, work order, target).

        This is SQL, not Deadline.write: marking and reading back in one
        UPDATE ... RETURNING is what makes two runs of the sweep (two cron
        processes, or one killed and started again) never claim the same
        breach twice. It writes what the ORM's write would
        (test_claim_writes_as_orm); changing a deadline's state from pending
        to breached changes none of the evaluation facts."""
        Deadline = Pool().get('service_center.request.deadline')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        # python-sql qualifies RETURNING columns with the table alias,
        # which SQLite refuses: the statement is written out
        param = Flavor.get().param
        cursor.execute(
            'UPDATE "%s" SET "state" = %s, "breached_at" = %s, '
            '"write_date" = %s, "write_uid" = %s '
            'WHERE "state" = %s AND "due_at" <= %s '
            'RETURNING "id", "request", "work_order", "target"'
            % (Deadline._table, param, param, CurrentTimestamp(), param,
                param, param),
            ('breached', at, transaction.user, 'pending', at))
        return sorted(cursor, key=lambda r: r[0])

    @classmethod
    def escalate(cls, requests, reason, level=None):
        """Raise the requests one level, or to level, for the reason outside
        of any deadline"""
        return cls._escalate(
            [(r.id, reason, None, None) for r in requests], clock.now(),
            level=level)

    @classmethod
    def _escalate(cls, steps, at, level=None):
        """Raise the requests of the steps (request id, reason, deadline id,
        work order id) one level each, or to level; write the lines and queue
        the notifications; return how many escalations were made"""
        pool = Pool()
        Request = pool.get('service_center.request')
        Notification = pool.get('service_center.notification')
        ladder = _Ladder({s[0] for s in steps}, {s[3] for s in steps} - {None})

        lines, levels = [], {}
        for request_id, reason, deadline_id, work_order_id in steps:
            current = levels.get(request_id, ladder.level(request_id))
            target = level if level is not None else current + 1
            target = min(target, TOP_LEVEL)
            if target <= current:
                continue
            levels[request_id] = target
            users = ladder.persons(request_id, target, work_order_id)
            lines.append((
                    request_id, str(current), str(target), reason,
                    deadline_id, at, users))
        if not lines:
            return 0

        by_level = collections.defaultdict(list)
        for request_id, target in levels.items():
            by_level[target].append(request_id)
        # The ladder's own bookkeeping, whoever's action raised the request
        with without_check_access():
            Request.write(*(arg for target, ids in by_level.items()
                    for arg in (
                        Request.browse(ids), {'escalation_level': target})))
            cls.create([{
                        'request': r, 'from_level': f, 'to_level': t,
                        'reason': reason, 'deadline': d, 'at': a,
                        'notified': ladder.notified(users),
                        } for r, f, t, reason, d, a, users in lines])
            Notification.create(ladder.notifications(lines))
        return len(lines)


class _Ladder:
    "Who answers for each request at each level, read in a few queries"

    def __init__(self, request_ids, work_order_ids):
        pool = Pool()
        Request = pool.get('service_center.request')
        Project = pool.get('service_center.project')
        Center = pool.get('service_center.center')
        Region = pool.get('service_center.region')
        Deputy = pool.get('service_center.region.deputy')
        WorkOrder = pool.get('service_center.work_order')
        Department = pool.get('service_center.department')
        ModelData = pool.get('ir.model.data')
        UserGroup = pool.get('res.user-res.group')
        User = pool.get('res.user')
        Lang = pool.get('ir.lang')
        cursor = Transaction().connection.cursor()
        request = Request.__table__()
        project = Project.__table__()
        center = Center.__table__()
        region = Region.__table__()
        deputy = Deputy.__table__()
        work_order = WorkOrder.__table__()
        department = Department.__table__()

        self.requests = {}
        for sub_ids in grouped_slice(list(request_ids), MAX_IDS):
            cursor.execute(*request
                .join(project, condition=request.project == project.id)
                .join(region, condition=project.region == region.id)
                .join(center, 'LEFT', condition=request.center == center.id)
                .select(
                    request.id, request.escalation_level, request.number,
                    request.category, region.id, region.leader,
                    center.manager,
                    where=request.id.in_(list(sub_ids))))
            for row in cursor:
                self.requests[row[0]] = row[1:]

        # The department head of the latest work order of each request
        # answers for the request's own deadlines
        self.heads = {}
        for sub_ids in grouped_slice(list(self.requests), MAX_IDS):
            cursor.execute(*work_order
                .join(department,
                    condition=work_order.department == department.id)
                .select(
                    work_order.request, department.head,
                    department.responsible,
                    where=work_order.request.in_(list(sub_ids))
                    & ~work_order.state.in_(['cancelled', 'draft']),
                    order_by=[work_order.id.asc]))
            for request_id, head, responsible in cursor:
                self.heads[request_id] = head or responsible
        self.order_heads = {}
        for sub_ids in grouped_slice(list(work_order_ids), MAX_IDS):
            cursor.execute(*work_order
                .join(department,
                    condition=work_order.department == department.id)
                .select(
                    work_order.id, department.head, department.responsible,
                    where=work_order.id.in_(list(sub_ids))))
            for order_id, head, responsible in cursor:
                self.order_heads[order_id] = head or responsible

        regions = {r[3] for r in self.requests.values()}
        self.deputies = {}
        for sub_ids in grouped_slice(list(regions), MAX_IDS):
            cursor.execute(*deputy.select(
                    deputy.region, deputy.category, deputy.user,
                    where=deputy.region.in_(list(sub_ids))))
            for region_id, category, user in cursor:
                self.deputies[region_id, category] = user

        user_group = UserGroup.__table__()
        cursor.execute(*user_group.select(
                user_group.user,
                where=user_group.group == ModelData.get_id(
                    'service_center', 'group_hq')))
        self.hq = sorted({u for u, in cursor})

        self.users = {}
        user_ids = set(self.hq) | set(self.heads.values()) | set(
            self.order_heads.values())
        for _, _, category, region_id, leader, manager in (
                self.requests.values()):
            user_ids |= {leader, manager, self.deputies.get(
                    (region_id, category))}
        user_ids.discard(None)
        user = User.__table__()
        lang = Lang.__table__()
        for sub_ids in grouped_slice(list(user_ids), MAX_IDS):
            cursor.execute(*user
                .join(lang, 'LEFT', condition=user.language == lang.id)
                .select(
                    user.id, user.name, user.email, user.mobile, lang.code,
                    where=user.id.in_(list(sub_ids))
                    & (user.active == Literal(True))))
            for row in cursor:
                self.users[row[0]] = row[1:]

    def level(self, request_id):
        return self.requests[request_id][0] or 0

    def persons(self, request_id, level, work_order_id=None):
        "Return the ids of the users who answer at the level"
        _, _, category, region_id, leader, manager = self.requests[
            request_id]
        if level == 1:
            users = [self.order_heads.get(work_order_id)
                or self.heads.get(request_id) or manager]
        elif level == 2:
            users = [self.deputies.get((region_id, category)) or leader]
        elif level == 3:
            users = [leader]
        else:
            users = self.hq
        return [u for u in users if u in self.users]

    def notified(self, users):
        return '\n'.join(self.users[u][0] for u in users)

    def notifications(self, lines):
        "Return the values of the notifications of the escalation lines"
        pool = Pool()
        Request = pool.get('service_center.request')
        Escalation = pool.get('service_center.escalation')
        Notification = pool.get('service_center.notification')
        labels = {}

        def label(language):
            if language not in labels:
                with Transaction().set_context(language=language):
                    request_fields = Request.fields_get(['category'])
                    escalation_fields = Escalation.fields_get(
                        ['reason', 'to_level'])
                labels[language] = (
                    dict(request_fields['category']['selection']),
                    dict(escalation_fields['reason']['selection']),
                    dict(escalation_fields['to_level']['selection']))
            return labels[language]

        values = []
        for request_id, _, to_level, reason, _, _, users in lines:
            number, category = self.requests[request_id][1:3]
            for user_id in users:
                name, email, mobile, language = self.users[user_id]
                categories, reasons, levels = label(language)
                subject, body = Notification.texts(
                    'service_center.msg_notify_escalation', language,
                    number=number, category=categories.get(category, ''),
                    level=levels[to_level], reason=reasons[reason])
                origin = 'service_center.request,%s' % request_id
                for channel, address in [('sms', mobile), ('email', email)]:
                    if address:
                        values.append({
                                'channel': channel, 'user': user_id,
                                'address': address, 'subject': subject,
                                'body': body, 'origin': origin,
                                })
        return values
