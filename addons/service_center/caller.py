# This file is part of the coastal customer service project.
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.wizard import Button, StateTransition, StateView, Wizard


class CallerLookupStart(ModelView):
    __string__ = "Who Is Calling?"
    __name__ = 'service_center.caller_lookup.start'
    phone = fields.Char(
        "Phone Number", required=True,
        help="Type or paste the number in any format.")
    e164 = fields.Char("Normalised Number", readonly=True)
    parties = fields.Many2Many(
        'party.party', None, None, "Callers", readonly=True)
    units = fields.Many2Many(
        'service_center.unit', None, None, "Units", readonly=True)


class CallerLookup(Wizard):
    "Who Is Calling?"
    __name__ = 'service_center.caller_lookup'
    start = StateView(
        'service_center.caller_lookup.start',
        'service_center.caller_lookup_start_view_form', [
            Button("Close", 'end', 'tryton-close'),
            Button("Look Up", 'lookup', 'tryton-search', default=True),
            ])
    lookup = StateTransition()
    result = StateView(
        'service_center.caller_lookup.start',
        'service_center.caller_lookup_result_view_form', [
            Button("New Look-up", 'start', 'tryton-back'),
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_lookup(self):
        self.start.e164, self.start.parties = (
            Pool().get('party.party').search_by_phone(self.start.phone))
        return 'result'

    def default_start(self, fields):
        return {'phone': getattr(self.start, 'phone', None)}

    def default_result(self, fields):
        units = []
        for party in self.start.parties:
            units.extend(u.id for u in party.units if u.id not in units)
        return {
            'phone': self.start.phone,
            'e164': self.start.e164,
            'parties': [p.id for p in self.start.parties],
            'units': units,
            }
