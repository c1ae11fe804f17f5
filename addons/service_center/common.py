# This file is part of the coastal customer service project.
"Vocabulary shared by the customer centre's models"
from property_register.common import NoDeleteMixin
from property_register.text import CleanTextMixin

from trytond.model import fields
from trytond.pyson import Eval

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


class CallMixin(CleanTextMixin, NoDeleteMixin):
    """A call to an owner, planned, then recorded as done by whoever made
    it; kept for the evaluation"""
    __slots__ = ()
    _final_states = frozenset({'done'})
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
