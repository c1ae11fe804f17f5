# This file is part of the coastal customer service project.
"Vocabulary of the property register, shared by the modules built on it"
import datetime as dt
from zoneinfo import ZoneInfo

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import Unique, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.transaction import Transaction

SERVICE_CATEGORIES = [
    ('property_service', "Daily Property Management Service"),
    ('construction_repair', "Housing Repair of Construction Defects"),
    ('common_upkeep', "Routine Upkeep of Common Parts and Equipment"),
    ('common_rectification',
        "Rectification of Common Parts and Equipment"),
    ('opinion', "Opinions, Suggestions and Service Complaints"),
    ('major_rectification',
        "Major Rectification, Design Defects and Repeated Complaints"),
    ]

# Ids per query, well under every backend's parameter limit
MAX_IDS = 1000


def clearing(*caches):
    "A mixin of the models whose changes clear the caches"
    class ClearingMixin:
        __slots__ = ()

        @classmethod
        def on_modification(cls, mode, records, field_names=None):
            super().on_modification(mode, records, field_names=field_names)
            for cache in caches:
                cache.clear()
    return ClearingMixin


def rec_name_bool_op(operator):
    "How to join the fields a record's name is searched in"
    if operator.startswith('!') or operator.startswith('not '):
        return 'AND'
    return 'OR'


class NamedCodeMixin:
    """A register entry with a name for people and a code, unique, for files
    and phone calls; found by either"""
    __slots__ = ()
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints.append(
            ('code_unique', Unique(t, t.code),
                'property_register.msg_code_unique'))
        cls._order.insert(0, ('name', 'ASC'))

    def get_rec_name(self, name):
        return self.name

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        return [rec_name_bool_op(operator),
            ('name', operator, operand, *extra),
            ('code', operator, operand, *extra),
            ]


# The time zone name of each company ('' for none), cleared when a company
# changes: every request's day and every ownership's date need it
company_timezones = Cache(
    'property_register.company_timezone', context=False)


def company_timezone():
    """The time zone of the context's company, or None for the server's
    when it has none: the days are those ir.date.today() counts"""
    company_id = Transaction().context.get('company')
    if company_id is None or company_id < 0:
        return None
    name = company_timezones.get(company_id)
    if name is None:
        company = Pool().get('company.company')(company_id)
        name = company.timezone or ''
        company_timezones.set(company_id, name)
    return ZoneInfo(name) if name else None


def local_date(timestamp):
    "The day of the naive UTC timestamp in the company's time zone"
    return timestamp.replace(tzinfo=dt.timezone.utc).astimezone(
        company_timezone()).date()


def local_midnight(date):
    "The naive UTC instant the day starts in the company's time zone"
    zone = company_timezone()
    start = dt.datetime.combine(date, dt.time())
    # A naive time is read in the server's time zone
    start = start.replace(tzinfo=zone) if zone else start.astimezone()
    return start.astimezone(dt.timezone.utc).replace(tzinfo=None)


class NoDeleteMixin:
    """Records of the online evidence: cancelled, never deleted; in their
    final states only their own transitions change them, a correction is a
    new record"""
    __slots__ = ()
    _final_states = frozenset()

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'delete':
            raise AccessError(gettext(
                    'property_register.msg_no_delete',
                    model=cls.__names__()['model']))
        if mode == 'write' and external:
            for record in records:
                if getattr(record, 'state', None) in cls._final_states:
                    state = cls._fields['state'].translated('state')
                    raise AccessError(gettext(
                            'property_register.msg_final_record',
                            record=record.rec_name,
                            state=state.__get__(record, cls)))
