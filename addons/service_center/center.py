# This file is part of the coastal customer service project.
from dateutil.relativedelta import relativedelta
from property_register.access import ReadRulesMixin
from property_register.common import NamedCodeMixin, clearing

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin,
    ModelSQL,
    ModelView,
    Unique,
    Workflow,
    fields,
)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import CenterError
from .res import ServiceAccessMixin

SHIFTS = [
    ('morning', "Morning Shift"),
    ('afternoon', "Afternoon Shift"),
    ]
MIN_RECEPTIONISTS_PER_SHIFT = 2
# The centre id serving each project id, looked up at every registration
_center_of_project = Cache('service_center.center_of_project', context=False)


# Models whose changes move which centre serves a project
CenterOfProjectMixin = clearing(_center_of_project)


class Center(
        ReadRulesMixin, NamedCodeMixin, CenterOfProjectMixin,
        ServiceAccessMixin, DeactivableMixin, Workflow, ModelSQL, ModelView):
    __string__ = "Customer Centre"
    __name__ = 'service_center.center'
    _transition_state = 'phase'
    _states = {
        'readonly': Eval('phase') == 'property',
        }

    region = fields.Many2One(
        'service_center.region', "Region", required=True,
        states=_states)
    projects = fields.Many2Many(
        'service_center.center-service_center.project', 'center', 'project',
        "Projects",
        domain=[('region', '=', Eval('region', -1))])
    manager = fields.Many2One('res.user', "Manager")
    deputy = fields.Many2One(
        'res.user', "Deputy Manager",
        help="Usually the manager of the property office.")
    receptionists = fields.One2Many(
        'service_center.center.receptionist', 'center', "Receptionists")
    fully_staffed = fields.Function(
        fields.Boolean(
            "Fully Staffed",
            help="At least two receptionists on each shift."),
        'get_fully_staffed')
    opening_date = fields.Date(
        "Opening Date",
        help="By default two months before the first handover.")
    phase = fields.Selection([
            ('leadership', "Supervised by the Leadership Group"),
            ('property', "Handed over to the Property Company"),
            ], "Phase", readonly=True, required=True)
    property_company = fields.Many2One(
        'party.party', "Property Management Company", states=_states,
        help="Takes over the centre's powers at handover.")
    handover_date = fields.Date(
        "Handover Date", readonly=True,
        help="When the centre passed to the property company.")
    handover_approved_by = fields.Many2One(
        'res.user', "Handover Approved by", readonly=True)
    supervisor = fields.Function(
        fields.Many2One('res.user', "Supervisor"), 'get_supervisor')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {('leadership', 'property')}
        cls._buttons.update({
                'hand_over': {
                    'invisible': Eval('phase') != 'leadership',
                    'depends': ['phase'],
                    },
                })

    @staticmethod
    def default_phase():
        return 'leadership'

    @classmethod
    def default_region(cls):
        Region = Pool().get('service_center.region')
        regions = Region.search([], limit=2)
        if len(regions) == 1:
            return regions[0].id

    @property
    def staff(self):
        "The ids of the users who work at the centre"
        return {u.id for u in [self.manager, self.deputy]
            + [r.user for r in self.receptionists] if u}

    @classmethod
    def of_project(cls, project):
        "Return the centre that serves the project, if any"
        # -1 caches that no centre serves it
        center_id = _center_of_project.get(project.id)
        if center_id is None:
            centers = cls.search([('projects', '=', project.id)], limit=1)
            center_id = centers[0].id if centers else -1
            _center_of_project.set(project.id, center_id)
        return cls(center_id) if center_id >= 0 else None

    @fields.depends('projects', 'opening_date')
    def on_change_projects(self):
        if not self.opening_date:
            self.opening_date = self.opening_date_from(self.projects)

    @staticmethod
    def opening_date_from(projects):
        dates = [p.first_handover_date for p in projects
            if p.first_handover_date]
        if dates:
            return min(dates) - relativedelta(months=2)

    @classmethod
    def create(cls, vlist):
        centers = super().create(vlist)
        to_write = []
        for center in centers:
            if not center.opening_date:
                date = cls.opening_date_from(center.projects)
                if date:
                    to_write.extend(([center], {'opening_date': date}))
        if to_write:
            cls.write(*to_write)
        return centers

    def get_fully_staffed(self, name):
        for shift, _ in SHIFTS:
            count = len([r for r in self.receptionists
                    if r.shift == shift and r.user.active])
            if count < MIN_RECEPTIONISTS_PER_SHIFT:
                return False
        return True

    def get_supervisor(self, name):
        if self.phase == 'property':
            user = self.region.property_manager
        else:
            user = self.region.leader
        return user.id if user else None

    @classmethod
    @ModelView.button
    @Workflow.transition('property')
    def hand_over(cls, centers):
        pool = Pool()
        Date = pool.get('ir.date')
        for center in centers:
            if not center.property_company:
                raise CenterError(gettext(
                        'service_center.msg_center_handover_no_company',
                        center=center.rec_name))
        cls.write(centers, {
                'handover_date': Date.today(),
                'handover_approved_by': Transaction().user,
                })


class CenterProject(
        ReadRulesMixin, CenterOfProjectMixin, ServiceAccessMixin,
        ModelSQL):
    __string__ = "Customer Centre - Project"
    __name__ = 'service_center.center-service_center.project'
    center = fields.Many2One(
        'service_center.center', "Centre", required=True, ondelete='CASCADE')
    project = fields.Many2One(
        'service_center.project', "Project", required=True,
        ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('center')


class Receptionist(ReadRulesMixin, ServiceAccessMixin, ModelSQL, ModelView):
    __string__ = "Receptionist"
    __name__ = 'service_center.center.receptionist'
    center = fields.Many2One(
        'service_center.center', "Centre", required=True, ondelete='CASCADE')
    user = fields.Many2One('res.user', "User", required=True)
    shift = fields.Selection(SHIFTS, "Shift", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('center')
        t = cls.__table__()
        cls._sql_constraints = [
            ('user_unique', Unique(t, t.center, t.user),
                'service_center.msg_receptionist_unique'),
            ]
        cls._order = [('center', 'ASC'), ('shift', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_shift():
        return 'morning'
