# This file is part of the coastal customer service project.
"""The same-problem alarm (报警原则): three owners with the same problem
within a month call the leadership group to a meeting"""
import datetime as dt

from property_register import clock
from property_register.access import ReadRulesMixin
from property_register.common import SERVICE_CATEGORIES, NoDeleteMixin

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import AlarmError

# Distinct owners with the same problem that raise an alarm
ALARM_OWNERS = 3
ALARM_PERIOD = dt.timedelta(days=30)


class Alarm(ReadRulesMixin, NoDeleteMixin, Workflow, ModelSQL, ModelView):
    __string__ = "Same-Problem Alarm"
    __name__ = 'service_center.alarm'
    _final_states = frozenset({'decided', 'closed'})
    _states = {
        'readonly': Eval('state') == 'closed',
        }
    project = fields.Many2One(
        'service_center.project', "Project", required=True, readonly=True)
    category = fields.Selection(
        SERVICE_CATEGORIES, "Service Category", required=True, readonly=True)
    category_string = category.translated('category')
    warranty_type = fields.Many2One(
        'service_center.warranty_type', "Warranty Part", readonly=True)
    requests = fields.One2Many(
        'service_center.request', 'alarm', "Requests", readonly=True)
    owner_count = fields.Function(
        fields.Integer("Owners"), 'get_owner_count')
    opened_at = fields.Timestamp("Opened at", required=True, readonly=True)
    meeting_date = fields.DateTime(
        "Meeting", states={
            'readonly': ~Eval('state').in_(['open', 'meeting']),
            })
    participants = fields.Many2Many(
        'service_center.alarm-res.user', 'alarm', 'user', "Participants",
        states={
            'readonly': ~Eval('state').in_(['open', 'meeting']),
            })
    decision = fields.Text(
        "Decision", states={
            'readonly': Eval('state') != 'meeting',
            })
    policy = fields.Text(
        "Policy", states={
            'readonly': Eval('state').in_(['closed']),
            },
        help="The rule adopted so that the problem does not come back.")
    decided_by = fields.Many2One('res.user', "Decided by", readonly=True)
    decided_at = fields.Timestamp("Decided at", readonly=True)
    closed_at = fields.Timestamp("Closed at", readonly=True)
    state = fields.Selection([
            ('open', "Open"),
            ('meeting', "Meeting"),
            ('decided', "Decided"),
            ('closed', "Closed"),
            ], "State", required=True, readonly=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('opened_at', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('open', 'meeting'),
            ('meeting', 'decided'),
            ('decided', 'closed'),
            }
        cls._buttons.update({
                'hold_meeting': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'decide': {
                    'invisible': Eval('state') != 'meeting',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'decided',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_opened_at(cls):
        return clock.now()

    def get_rec_name(self, name):
        return '%s %s' % (
            self.project.rec_name,
            self.category_string)

    def get_owner_count(self, name):
        return len({r.party.id if r.party else -r.id for r in self.requests})

    @classmethod
    @ModelView.button
    @Workflow.transition('meeting')
    def hold_meeting(cls, alarms):
        for alarm in alarms:
            if not alarm.meeting_date or not alarm.participants:
                raise AlarmError(gettext(
                        'service_center.msg_alarm_meeting_required',
                        alarm=alarm.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('decided')
    def decide(cls, alarms):
        for alarm in alarms:
            if not (alarm.decision or '').strip():
                raise AlarmError(gettext(
                        'service_center.msg_alarm_decision_required',
                        alarm=alarm.rec_name))
        cls.write(alarms, {
                'decided_by': Transaction().user,
                'decided_at': clock.now(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, alarms):
        for alarm in alarms:
            if not (alarm.decision or '').strip() or not (
                    alarm.policy or '').strip():
                raise AlarmError(gettext(
                        'service_center.msg_alarm_policy_required',
                        alarm=alarm.rec_name))
        cls.write(alarms, {'closed_at': clock.now()})

    @staticmethod
    def _key(request):
        return (
            request.project.id, request.category,
            request.warranty_type.id if request.warranty_type else None)

    @classmethod
    def check(cls, requests):
        """Set on the requests the open alarm of their problem, opening one
        when enough owners have it; the requests are left for the caller
        to save, the older requests that open an alarm are written"""
        pool = Pool()
        Request = pool.get('service_center.request')
        Notification = pool.get('service_center.notification')
        at = clock.now()
        since = at - ALARM_PERIOD
        groups = {}
        for request in requests:
            if (request.alarm or request.state in {'draft', 'cancelled'}
                    or request.received_at < since):
                continue
            groups.setdefault(cls._key(request), []).append(request)
        given = [r.id for r in requests if r.id is not None and r.id >= 0]
        to_write, notifications = [], []
        for key, group in groups.items():
            project, category, warranty_type = key
            domain = [
                ('project', '=', project),
                ('category', '=', category),
                ('warranty_type', '=', warranty_type),
                ]
            alarms = cls.search(
                domain + [('state', '!=', 'closed')], limit=1)
            if alarms:
                alarm, = alarms
            else:
                older = Request.search(domain + [
                        ('received_at', '>=', since),
                        ('state', 'not in', ['draft', 'cancelled']),
                        ('alarm', '=', None),
                        ('id', 'not in', given),
                        ])
                owners = {r.party.id if r.party else -(r.id or 0)
                    for r in older + group}
                if len(owners) < ALARM_OWNERS:
                    continue
                alarm = cls(
                    project=project, category=category,
                    warranty_type=warranty_type, opened_at=at)
                alarm.save()
                if older:
                    to_write.extend((older, {'alarm': alarm.id}))
                for user in alarm.project.region.leadership_group:
                    notifications.extend(Notification.for_user(
                            user, 'service_center.msg_notify_alarm',
                            origin=alarm, project=alarm.project.rec_name,
                            category=alarm.category_string,
                            count=len(owners)))
            for request in group:
                request.alarm = alarm
        if to_write:
            Request.write(*to_write)
        Notification.save(notifications)
        Notification.send_soon(notifications)

    @classmethod
    def check_all(cls):
        "Look again at the last month's requests (scheduled action)"
        Request = Pool().get('service_center.request')
        requests = Request.search([
                ('received_at', '>=', clock.now() - ALARM_PERIOD),
                ('state', 'not in', ['draft', 'cancelled']),
                ('alarm', '=', None),
                ], order=[('received_at', 'ASC')])
        cls.check(requests)
        Request.save([r for r in requests if r.alarm])


class AlarmParticipant(ReadRulesMixin, ModelSQL):
    __string__ = "Alarm Participant"
    __name__ = 'service_center.alarm-res.user'
    alarm = fields.Many2One(
        'service_center.alarm', "Alarm", required=True, ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')
