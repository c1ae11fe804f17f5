# This file is part of the coastal customer service project.
from property_register.access import ReadRulesMixin

from trytond.i18n import gettext
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields
from trytond.pyson import Eval

from .exceptions import DepartmentError
from .res import ServiceAccessMixin


class Department(
        ReadRulesMixin, ServiceAccessMixin, DeactivableMixin, ModelSQL,
        ModelView):
    __string__ = "Back-Factory Department"
    __name__ = 'service_center.department'
    name = fields.Char("Name", required=True, translate=True)
    kind = fields.Selection([
            ('sales', "Sales Office"),
            ('engineering', "Engineering Rectification"),
            ('design', "Design Institute"),
            ('property_security', "Property Security"),
            ('property_maintenance', "Property Maintenance"),
            ('cleaning', "Cleaning"),
            ('contractor', "Specialist Contractor"),
            ], "Kind", required=True)
    region = fields.Many2One(
        'service_center.region', "Region", required=True)
    projects = fields.Many2Many(
        'service_center.department-service_center.project',
        'department', 'project', "Projects",
        domain=[('region', '=', Eval('region', -1))],
        help="Leave empty when the department serves the whole region.")
    responsible = fields.Many2One(
        'res.user', "First Responsible Person", required=True,
        help="Receives the dispatches and must answer them.")
    head = fields.Many2One(
        'res.user', "Department Head",
        help="The first level of escalation.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))

    @classmethod
    def validate_fields(cls, departments, field_names):
        super().validate_fields(departments, field_names)
        if 'responsible' in field_names:
            for department in departments:
                user = department.responsible
                if not user.email or not user.mobile:
                    raise DepartmentError(gettext(
                            'service_center.msg_department_responsible_contact',
                            user=user.rec_name,
                            department=department.rec_name))

    def serves(self, project):
        "Whether the department works for the project"
        if self.projects:
            return project in self.projects
        return project.region == self.region


class DepartmentProject(ReadRulesMixin, ServiceAccessMixin, ModelSQL):
    __string__ = "Department - Project"
    __name__ = 'service_center.department-service_center.project'
    department = fields.Many2One(
        'service_center.department', "Department", required=True,
        ondelete='CASCADE')
    project = fields.Many2One(
        'service_center.project', "Project", required=True,
        ondelete='CASCADE')
