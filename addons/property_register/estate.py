# This file is part of the coastal customer service project.
import datetime as dt

from dateutil.relativedelta import relativedelta
from sql import Null
from sql.aggregate import Count
from sql.conditionals import Coalesce

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin,
    Index,
    ModelSQL,
    ModelView,
    Unique,
    fields,
)
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.rpc import RPC
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .access import ReadRulesMixin
from .common import (
    MAX_IDS,
    SERVICE_CATEGORIES,
    NamedCodeMixin,
    rec_name_bool_op,
)
from .exceptions import OwnershipError


class Region(
        ReadRulesMixin, NamedCodeMixin, DeactivableMixin, ModelSQL,
        ModelView):
    __string__ = "Region"
    __name__ = 'service_center.region'
    company = fields.Many2One('company.company', "Company", required=True)
    leader = fields.Many2One(
        'res.user', "Regional General Manager",
        help="Leads the region's customer centre leadership group.")
    developer_manager = fields.Many2One(
        'res.user', "Developer General Manager")
    engineering_manager = fields.Many2One(
        'res.user', "Engineering General Manager")
    property_manager = fields.Many2One(
        'res.user', "Property Company General Manager")
    deputy_managers = fields.One2Many(
        'service_center.region.deputy', 'region', "Deputy Managers",
        help="The deputy general manager in charge of each service "
        "category, who receives its escalations.")
    projects = fields.One2Many('service_center.project', 'region', "Projects")

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @property
    def leadership_group(self):
        "The users of the region's leadership group"
        return [u for u in (
                self.leader, self.developer_manager,
                self.engineering_manager, self.property_manager) if u]

    def deputy_for(self, category):
        for deputy in self.deputy_managers:
            if deputy.category == category:
                return deputy.user


class RegionDeputy(ReadRulesMixin, ModelSQL, ModelView):
    __string__ = "Region Deputy Manager"
    __name__ = 'service_center.region.deputy'
    region = fields.Many2One(
        'service_center.region', "Region", required=True, ondelete='CASCADE')
    category = fields.Selection(
        SERVICE_CATEGORIES, "Service Category", required=True)
    user = fields.Many2One('res.user', "Deputy Manager", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('region')
        t = cls.__table__()
        cls._sql_constraints = [
            ('category_unique', Unique(t, t.region, t.category),
                'property_register.msg_region_deputy_unique'),
            ]


class Project(
        ReadRulesMixin, NamedCodeMixin, DeactivableMixin, ModelSQL,
        ModelView):
    __string__ = "Property Project"
    __name__ = 'service_center.project'
    region = fields.Many2One(
        'service_center.region', "Region", required=True)
    address = fields.Text("Address")
    suburban = fields.Boolean(
        "Suburban", help="Suburban projects get longer on-site targets.")
    first_handover_date = fields.Date(
        "First Handover Date",
        help="The day the first owners move in.")
    buildings = fields.One2Many(
        'service_center.building', 'project', "Buildings")
    unit_count = fields.Function(
        fields.Integer("Units"), 'get_unit_count')

    @classmethod
    def get_unit_count(cls, projects, name):
        pool = Pool()
        Unit = pool.get('service_center.unit')
        unit = Unit.__table__()
        cursor = Transaction().connection.cursor()
        counts = dict.fromkeys(map(int, projects), 0)
        for sub_ids in grouped_slice(list(counts), MAX_IDS):
            cursor.execute(*unit.select(
                    unit.project, Count(unit.id),
                    where=unit.project.in_(list(sub_ids)),
                    group_by=[unit.project]))
            counts.update(cursor)
        return counts


class Building(ReadRulesMixin, ModelSQL, ModelView):
    __string__ = "Building"
    __name__ = 'service_center.building'
    project = fields.Many2One(
        'service_center.project', "Project", required=True,
        ondelete='CASCADE')
    name = fields.Char(
        "Number", required=True, help="The building number, e.g. \"3\".")
    entrances = fields.Integer(
        "Entrances", domain=[
            If(Eval('entrances'), ('entrances', '>', 0), ())])
    floors = fields.Integer(
        "Floors", domain=[If(Eval('floors'), ('floors', '>', 0), ())])
    units = fields.One2Many('service_center.unit', 'building', "Units")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('project')
        t = cls.__table__()
        cls._sql_constraints = [
            ('name_unique', Unique(t, t.project, t.name),
                'property_register.msg_building_name_unique'),
            ]
        cls._order = [('project', 'ASC'), ('name', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return gettext(
            'property_register.msg_building_rec_name',
            project=self.project.rec_name, building=self.name)


class Unit(ReadRulesMixin, ModelSQL, ModelView):
    __string__ = "Unit"
    __name__ = 'service_center.unit'
    project = fields.Many2One(
        'service_center.project', "Project", required=True,
        ondelete='CASCADE')
    building = fields.Many2One(
        'service_center.building', "Building", required=True,
        ondelete='CASCADE',
        domain=[('project', '=', Eval('project', -1))])
    region = fields.Function(
        fields.Many2One('service_center.region', "Region"),
        'on_change_with_region', searcher='search_region')
    entrance = fields.Char("Entrance")
    floor = fields.Integer("Floor")
    room = fields.Char("Room", required=True)
    code = fields.Char(
        "Code", required=True,
        help="Building-entrance-room, unique in the project, "
        "e.g. \"3-2-1502\".")
    area = fields.Numeric("Area (m²)", digits=(16, 2))
    handover_date = fields.Date("Handover Date")
    ownerships = fields.One2Many(
        'service_center.ownership', 'unit', "Ownerships")
    owners = fields.Function(
        fields.Many2Many('party.party', None, None, "Current Owners"),
        'get_owners', searcher='search_owners')
    owner_names = fields.Function(
        fields.Char("Owners"), 'get_owner_names', searcher='search_owners',
        loading='lazy')
    warranty_summary = fields.Function(
        fields.Text("Warranty"), 'get_warranty_summary', loading='lazy')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('project')
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.project, t.code),
                'property_register.msg_unit_code_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.building, Index.Range())))
        cls._order = [
            ('project', 'ASC'), ('building', 'ASC'), ('entrance', 'ASC'),
            ('floor', 'ASC'), ('room', 'ASC'), ('id', 'ASC')]
        cls.__rpc__.update({
                'warranty_states': RPC(readonly=True, instantiate=0),
                })

    @fields.depends('project')
    def on_change_with_region(self, name=None):
        return self.project.region if self.project else None

    @classmethod
    def search_region(cls, name, clause):
        return [('project.' + clause[0],) + tuple(clause[1:])]

    @fields.depends('building', '_parent_building.project')
    def on_change_building(self):
        if self.building and self.building.project:
            self.project = self.building.project

    @fields.depends(
        'building', '_parent_building.name', 'entrance', 'room', 'code')
    def on_change_room(self):
        if not self.code and self.building and self.room:
            self.code = self.make_code(
                self.building.name, self.entrance, self.room)

    @staticmethod
    def make_code(building, entrance, room):
        return '-'.join(str(p).strip() for p in (building, entrance, room)
            if p not in (None, ''))

    def get_rec_name(self, name):
        return '%s %s' % (self.project.rec_name, self.code)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        domain = [rec_name_bool_op(operator),
            ('code', operator, operand, *extra),
            ('project.rec_name', operator, operand, *extra),
            ]
        if isinstance(operand, str) and ' ' in operand.strip():
            project, code = operand.strip().rsplit(' ', 1)
            domain.append([
                    ('project.rec_name', operator, project, *extra),
                    ('code', operator, code, *extra),
                    ])
        return domain

    @classmethod
    def _current_ownership_domain(cls, date=None):
        if date is None:
            date = Pool().get('ir.date').today()
        return [
            ('role', 'in', ['owner', 'co_owner']),
            ['OR', ('start_date', '=', None), ('start_date', '<=', date)],
            ['OR', ('end_date', '=', None), ('end_date', '>=', date)],
            ]

    @classmethod
    def get_owners(cls, units, name):
        pool = Pool()
        Ownership = pool.get('service_center.ownership')
        owners = {u.id: [] for u in units}
        for sub_ids in grouped_slice(list(owners), MAX_IDS):
            for ownership in Ownership.search([
                        ('unit', 'in', list(sub_ids)),
                        cls._current_ownership_domain(),
                        ], order=[('unit', 'ASC'), ('id', 'ASC')]):
                owners[ownership.unit.id].append(ownership.party.id)
        return owners

    @classmethod
    def get_owner_names(cls, units, name):
        owners = cls.get_owners(units, 'owners')
        Party = Pool().get('party.party')
        names = {p.id: p.name for p in Party.browse(
                {i for ids in owners.values() for i in ids})}
        return {u: '、'.join(names[p] for p in ps)
            for u, ps in owners.items()}

    @classmethod
    def search_owners(cls, name, clause):
        nested = clause[0][len(name) + 1:] or 'rec_name'
        return [('ownerships', 'where', [
                    ('party.' + nested,) + tuple(clause[1:]),
                    cls._current_ownership_domain(),
                    ])]

    def warranty_end(self, warranty_type):
        "Return the last day covered by the warranty of the part"
        if not self.handover_date:
            return None
        return (self.handover_date
            + relativedelta(months=warranty_type.duration)
            - dt.timedelta(days=1))

    @classmethod
    def warranty_states(cls, units, date=None):
        "Return the warranty state per warranty type code of each unit"
        WarrantyType = Pool().get('service_center.warranty_type')
        types = WarrantyType.search([])
        return {u.id: {t.code: u.warranty_state(t, date) for t in types}
            for u in units}

    @classmethod
    def get_warranty_summary(cls, units, name):
        pool = Pool()
        WarrantyType = pool.get('service_center.warranty_type')
        lang = pool.get('ir.lang').get()
        types = WarrantyType.search([])
        summaries = {}
        for unit in units:
            lines = []
            for type_ in types:
                state = unit.warranty_state(type_)
                line = '%s: %s' % (type_.name, gettext(
                        'property_register.msg_warranty_%s' % state))
                if state != 'not_handed_over':
                    line += ' (%s)' % gettext(
                        'property_register.msg_warranty_until',
                        date=lang.strftime(unit.warranty_end(type_)))
                lines.append(line)
            summaries[unit.id] = '\n'.join(lines)
        return summaries

    def warranty_state(self, warranty_type, date=None):
        "Return the warranty state of the part on the date"
        if date is None:
            date = Pool().get('ir.date').today()
        if not self.handover_date or date < self.handover_date:
            return 'not_handed_over'
        if date <= self.warranty_end(warranty_type):
            return 'under_warranty'
        return 'expired'


class Ownership(ReadRulesMixin, ModelSQL, ModelView):
    __string__ = "Ownership"
    __name__ = 'service_center.ownership'
    unit = fields.Many2One(
        'service_center.unit', "Unit", required=True, ondelete='CASCADE')
    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='RESTRICT')
    role = fields.Selection([
            ('owner', "Owner"),
            ('co_owner', "Co-owner"),
            ('tenant', "Tenant"),
            ('family', "Family Member"),
            ], "Role", required=True)
    share = fields.Numeric(
        "Share (%)", digits=(5, 2),
        domain=[If(Eval('share'),
                [('share', '>', 0), ('share', '<=', 100)], [])])
    start_date = fields.Date(
        "Start Date",
        domain=[If(Eval('start_date') & Eval('end_date'),
                ('start_date', '<=', Eval('end_date')), ())])
    end_date = fields.Date(
        "End Date",
        domain=[If(Eval('start_date') & Eval('end_date'),
                ('end_date', '>=', Eval('start_date')), ())])
    current = fields.Function(
        fields.Boolean("Current"), 'get_current')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('unit')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Range())),
                Index(t, (t.unit, Index.Range()),
                    where=t.end_date == Null),
                })
        cls._order = [
            ('unit', 'ASC'), ('start_date', 'DESC NULLS FIRST'),
            ('id', 'ASC')]

    @staticmethod
    def default_role():
        return 'owner'

    @staticmethod
    def default_start_date():
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        return '%s - %s' % (self.unit.rec_name, self.party.rec_name)

    def get_current(self, name):
        today = Pool().get('ir.date').today()
        return ((not self.start_date or self.start_date <= today)
            and (not self.end_date or self.end_date >= today))

    @classmethod
    def validate_fields(cls, ownerships, field_names):
        super().validate_fields(ownerships, field_names)
        if field_names & {'unit', 'party', 'start_date', 'end_date'}:
            cls.check_overlap(ownerships)

    @classmethod
    def check_overlap(cls, ownerships):
        "The same party may not hold the same unit twice at once"
        table = cls.__table__()
        other = cls.__table__()
        cursor = Transaction().connection.cursor()
        for sub in grouped_slice(ownerships, MAX_IDS):
            cursor.execute(*table.join(other, condition=(
                        (other.unit == table.unit)
                        & (other.party == table.party)
                        & (other.id != table.id))).select(
                    table.id,
                    where=table.id.in_([o.id for o in sub])
                    & (Coalesce(other.end_date, dt.date.max)
                        >= Coalesce(table.start_date, dt.date.min))
                    & (Coalesce(other.start_date, dt.date.min)
                        <= Coalesce(table.end_date, dt.date.max)),
                    limit=1))
            row = cursor.fetchone()
            if row:
                ownership = cls(row[0])
                raise OwnershipError(gettext(
                        'property_register.msg_ownership_overlap',
                        party=ownership.party.rec_name,
                        unit=ownership.unit.rec_name))


class WarrantyType(
        ReadRulesMixin, NamedCodeMixin, DeactivableMixin, ModelSQL,
        ModelView):
    __string__ = "Warranty Type"
    __name__ = 'service_center.warranty_type'
    duration = fields.Integer(
        "Duration (months)", required=True,
        domain=[('duration', '>', 0)],
        help="How long the part is under warranty after handover.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('duration', 'ASC'))
