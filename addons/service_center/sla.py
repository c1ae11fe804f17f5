# This file is part of the coastal customer service project.
"Time targets of the 400 system"
import datetime as dt

from property_register.access import ReadRulesMixin
from property_register.common import SERVICE_CATEGORIES, clearing

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin,
    ModelSQL,
    ModelView,
    fields,
    sequence_ordered,
)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, Or

from .common import PRIORITIES, REQUEST_KINDS
from .exceptions import SLAError

# The measured steps, each with its default delay; the on-site target of
# suburban projects has its own delay
TARGETS = [
    ('ack', "Acknowledgement"),
    ('contact', "Owner Contacted"),
    ('onsite', "On Site"),
    ('visit', "Agreed Visit"),
    ('resolution', "Resolution"),
    ('callback', "Call-back"),
    ('followup', "Follow-up"),
    ]
DELAYS = {
    'ack': dt.timedelta(minutes=10),
    'contact': dt.timedelta(minutes=10),
    'onsite': dt.timedelta(hours=24),
    'onsite_suburban': dt.timedelta(hours=28),
    'resolution': dt.timedelta(days=7),
    'callback': dt.timedelta(days=3),
    'followup': dt.timedelta(days=7),
    }


# The agreement of each (kind, category, priority) at registration
_sla_of = Cache('service_center.sla.get', context=False)
# The delays of each agreement, read at every registration and dispatch
_terms_of = Cache('service_center.sla.terms', context=False)


class SLA(
        ReadRulesMixin, clearing(_sla_of, _terms_of), sequence_ordered(),
        DeactivableMixin, ModelSQL, ModelView):
    __string__ = "Service Level Agreement"
    __name__ = 'service_center.sla'
    name = fields.Char("Name", required=True, translate=True)
    kind = fields.Selection(
        [(None, "")] + REQUEST_KINDS, "Kind",
        help="Leave empty for every kind.")
    category = fields.Selection(
        [(None, "")] + SERVICE_CATEGORIES, "Service Category",
        help="Leave empty for every category.")
    priority = fields.Selection(
        [(None, "")] + PRIORITIES, "Priority",
        help="Leave empty for every priority.")
    calendar = fields.Many2One(
        'service_center.calendar', "Calendar",
        states={
            'required': Or(*(Bool(Eval('%s_working' % t))
                    for t in DELAYS if t != 'onsite_suburban')),
            },
        help="The office hours of the targets counted in working time.")
    ack_delay = fields.TimeDelta(
        "Acknowledgement", required=True,
        help="From registration until the centre dispatches or answers, "
        "and from dispatch until the responsible person confirms receipt.")
    ack_working = fields.Boolean("Acknowledgement in Working Time")
    contact_delay = fields.TimeDelta(
        "Owner Contacted", required=True,
        help="From dispatch until the responsible person has phoned the "
        "owner to agree a visit.")
    contact_working = fields.Boolean("Owner Contacted in Working Time")
    onsite_delay = fields.TimeDelta(
        "On Site in the City", required=True,
        help="From dispatch until someone is on site.")
    onsite_suburban_delay = fields.TimeDelta(
        "On Site in the Suburbs", required=True,
        help="The on-site target of suburban projects.")
    onsite_working = fields.Boolean("On Site in Working Time")
    resolution_delay = fields.TimeDelta(
        "Resolution", required=True,
        help="From registration until every work order is done.")
    resolution_working = fields.Boolean("Resolution in Working Time")
    callback_delay = fields.TimeDelta(
        "Call-back", required=True,
        help="From resolution until the centre has called the owner back.")
    callback_working = fields.Boolean("Call-back in Working Time")
    followup_delay = fields.TimeDelta(
        "Follow-up", required=True,
        help="From resolution until the request is closed.")
    followup_working = fields.Boolean("Follow-up in Working Time")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.append(('id', 'ASC'))

    @classmethod
    def default_ack_delay(cls):
        return DELAYS['ack']

    @classmethod
    def default_contact_delay(cls):
        return DELAYS['contact']

    @classmethod
    def default_onsite_delay(cls):
        return DELAYS['onsite']

    @classmethod
    def default_onsite_suburban_delay(cls):
        return DELAYS['onsite_suburban']

    @classmethod
    def default_resolution_delay(cls):
        return DELAYS['resolution']

    @classmethod
    def default_callback_delay(cls):
        return DELAYS['callback']

    @classmethod
    def default_followup_delay(cls):
        return DELAYS['followup']

    @classmethod
    def get(cls, kind, category, priority):
        "Return the first agreement that applies"
        key = (kind, category, priority)
        sla_id = _sla_of.get(key)
        if sla_id is None:
            slas = cls.search([
                    ('kind', 'in', [None, kind]),
                    ('category', 'in', [None, category]),
                    ('priority', 'in', [None, priority]),
                    ], limit=1)
            if not slas:
                raise SLAError(gettext('service_center.msg_sla_missing'))
            sla_id = slas[0].id
            _sla_of.set(key, sla_id)
        return cls(sla_id)

    def due(self, target, start, project=None):
        "Return when the target falls due for a step started at start"
        Calendar = Pool().get('service_center.calendar')
        terms = self._terms()
        if target == 'onsite' and project and project.suburban:
            delay = terms['onsite_suburban_delay']
        else:
            delay = terms['%s_delay' % target]
        if terms['%s_working' % target] and terms['calendar']:
            return Calendar(terms['calendar']).add(start, delay)
        return start + delay

    def _terms(self):
        "The delays, whether each counts working time, and the calendar"
        terms = _terms_of.get(self.id)
        if terms is None:
            terms = {'calendar': self.calendar.id if self.calendar else None}
            for name in DELAYS:
                terms['%s_delay' % name] = getattr(self, '%s_delay' % name)
                terms['%s_working' % name] = getattr(
                    self, '%s_working' % name, False)
            _terms_of.set(self.id, terms)
        return terms

    @classmethod
    def validate_fields(cls, slas, field_names):
        super().validate_fields(slas, field_names)
        for sla in slas:
            for name in DELAYS:
                delay = getattr(sla, '%s_delay' % name)
                if delay is not None and delay <= dt.timedelta(0):
                    raise SLAError(gettext(
                            'service_center.msg_sla_delay_positive',
                            sla=sla.rec_name,
                            target=cls.fields_get(
                                ['%s_delay' % name])[
                                '%s_delay' % name]['string']))

