# This file is part of the coastal customer service project.
"Working time, for the targets that only count office hours"
import datetime as dt
from zoneinfo import ZoneInfo, available_timezones

from property_register.access import ReadRulesMixin

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin,
    ModelSQL,
    ModelView,
    Unique,
    fields,
)
from trytond.pyson import Eval

from .exceptions import CalendarError

WEEKDAYS = [
    ('0', "Monday"),
    ('1', "Tuesday"),
    ('2', "Wednesday"),
    ('3', "Thursday"),
    ('4', "Friday"),
    ('5', "Saturday"),
    ('6', "Sunday"),
    ]
# A working-time target never looks further ahead than this
MAX_DAYS = 400


class Calendar(ReadRulesMixin, DeactivableMixin, ModelSQL, ModelView):
    __string__ = "Working Time Calendar"
    __name__ = 'service_center.calendar'
    name = fields.Char("Name", required=True, translate=True)
    timezone = fields.Selection(
        'get_timezones', "Time Zone", required=True,
        help="The office hours are read in this time zone.")
    hours = fields.One2Many(
        'service_center.calendar.hours', 'calendar', "Weekly Hours")
    days = fields.One2Many(
        'service_center.calendar.day', 'calendar', "Holidays and Make-up Days",
        help="Public holidays, and the weekend days worked instead (调休).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))

    @staticmethod
    def default_timezone():
        return 'Asia/Shanghai'

    @classmethod
    def get_timezones(cls):
        return [(z, z) for z in sorted(available_timezones())]

    def _periods(self, date, hours, days):
        "Return the local working periods of the date, in order"
        day = days.get(date)
        if day and day.kind == 'holiday':
            return []
        weekday = str(date.weekday())
        if day and day.kind == 'workday':
            weekday = day.hours_of
        return hours.get(weekday, [])

    def add(self, start, delta):
        """Return the UTC datetime when delta of working time has passed
        since start (a UTC datetime)"""
        zone = ZoneInfo(self.timezone)
        hours, days = {}, {d.date: d for d in self.days}
        for line in sorted(self.hours, key=lambda h: h.start):
            hours.setdefault(line.weekday, []).append(
                (line.start, line.end))
        if not hours:
            raise CalendarError(gettext(
                    'service_center.msg_calendar_no_hours',
                    calendar=self.rec_name))
        local = start.replace(tzinfo=dt.timezone.utc).astimezone(zone)
        local = local.replace(tzinfo=None)
        remaining = delta
        date = local.date()
        for _ in range(MAX_DAYS):
            for begin, end in self._periods(date, hours, days):
                begin = dt.datetime.combine(date, begin)
                end = dt.datetime.combine(date, end)
                if end <= local:
                    continue
                begin = max(begin, local)
                if begin + remaining <= end:
                    result = (begin + remaining).replace(tzinfo=zone)
                    return result.astimezone(dt.timezone.utc).replace(
                        tzinfo=None)
                remaining -= end - begin
            date += dt.timedelta(days=1)
        raise CalendarError(gettext(
                'service_center.msg_calendar_no_hours',
                calendar=self.rec_name))


class CalendarHours(ReadRulesMixin, ModelSQL, ModelView):
    __string__ = "Working Hours"
    __name__ = 'service_center.calendar.hours'
    calendar = fields.Many2One(
        'service_center.calendar', "Calendar", required=True,
        ondelete='CASCADE')
    weekday = fields.Selection(WEEKDAYS, "Weekday", required=True)
    start = fields.Time("From", required=True)
    end = fields.Time(
        "To", required=True,
        domain=[('end', '>', Eval('start'))])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('calendar')
        cls._order = [
            ('calendar', 'ASC'), ('weekday', 'ASC'), ('start', 'ASC'),
            ('id', 'ASC')]


class CalendarDay(ReadRulesMixin, ModelSQL, ModelView):
    __string__ = "Calendar Day"
    __name__ = 'service_center.calendar.day'
    calendar = fields.Many2One(
        'service_center.calendar', "Calendar", required=True,
        ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    kind = fields.Selection([
            ('holiday', "Public Holiday"),
            ('workday', "Make-up Working Day"),
            ], "Kind", required=True)
    name = fields.Char("Name", translate=True)
    hours_of = fields.Selection(
        WEEKDAYS, "Hours of",
        states={
            'invisible': Eval('kind') != 'workday',
            'required': Eval('kind') == 'workday',
            },
        help="The weekday whose hours the make-up day works.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('calendar')
        t = cls.__table__()
        cls._sql_constraints.append(
            ('date_unique', Unique(t, t.calendar, t.date),
                'service_center.msg_calendar_day_unique'))
        cls._order = [('calendar', 'ASC'), ('date', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_kind():
        return 'holiday'

    @staticmethod
    def default_hours_of():
        return '0'
