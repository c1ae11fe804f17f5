# This file is part of the coastal customer service project.
"Vocabulary shared by the customer centre's models"
from property_register import clock
from property_register.common import NoDeleteMixin, insert_rows

from trytond.model import fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction


def insert_records(records, names):
    """Insert the unsaved records, of one model, with the values of the field
    names in bulk and without the ORM's validation: for rows the code itself
    built from checked records"""
    if not records:
        return
    Model = records[0].__class__

    def value(record, name):
        value = getattr(record, name)
        if value is not None and Model._fields[name]._type == 'many2one':
            return value.id
        if value is not None and Model._fields[name]._type == 'reference':
            return str(value)
        return value
    insert_rows(Model.__table__(), [*names, 'create_uid', 'create_date'],
        [[*(value(r, n) for n in names), Transaction().user, clock.now()]
            for r in records])


def evaluated(*field_names):
    """A mixin of the models whose rows make a request's evaluation facts:
    creating one, or changing one of the field names, refreshes the facts
    of its request before the transaction commits"""
    watched = set(field_names)

    class EvaluatedMixin:
        __slots__ = ()

        @classmethod
        def on_modification(cls, mode, records, field_names=None):
            super().on_modification(mode, records, field_names=field_names)
            if mode == 'delete' or (
                    mode == 'write' and not watched & set(field_names)):
                return
            Pool().get('service_center.kpi.fact').touch(
                cls._evaluated_requests(mode, records))

        @classmethod
        def _evaluated_requests(cls, mode, records):
            "The ids of the requests whose facts the records make"
            return [r.request.id for r in records]
    return EvaluatedMixin


REQUEST_KINDS = [
    ('complaint', "Complaint"),
    ('enquiry', "Enquiry"),
    ('suggestion', "Suggestion"),
    ('repair', "Repair Request"),
    ('praise', "Praise"),
    ]
PRIORITIES = [
    ('low', "Low"),
    ('normal', "Normal"),
    ('high', "High"),
    ('urgent', "Urgent"),
    ]
# The escalation ladder: who answers for a request at each level
ESCALATION_LEVELS = [
    (0, "Department"),
    (1, "Department Head"),
    (2, "Deputy General Manager in Charge"),
    (3, "Regional General Manager"),
    (4, "Group Headquarters"),
    ]
TOP_LEVEL = 4


class CallMixin(NoDeleteMixin):
    """A call to an owner, planned, then recorded as done by whoever made
    it; kept for the evaluation"""
    __slots__ = ()
    done_by = fields.Many2One('res.user', "Done by", readonly=True)
    done_at = fields.Timestamp("Done at", readonly=True)
    state = fields.Selection([
            ('pending', "Pending"),
            ('done', "Done"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {('pending', 'done')}
        cls._buttons.update({
                'done': {
                    'invisible': Eval('state') != 'pending',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'pending'
