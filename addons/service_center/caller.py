# This file is part of the coastal customer service project.
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import check_access, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard


class CallerLookupStart(ModelView):
    __string__ = "Who Is Calling?"
    __name__ = 'service_center.caller_lookup.start'
    phone = fields.Char(
        "Phone Number", required=True,
        help="Type or paste the number in any format.")
    e164 = fields.Char("Normalised Number", readonly=True)
    callers = fields.Text(
        "Callers", readonly=True,
        help="Every owner reached at the number, with the units and "
        "projects of each, whichever centre serves them.")
    parties = fields.Many2Many(
        'party.party', None, None, "Owners You Serve", readonly=True)
    units = fields.Many2Many(
        'service_center.unit', None, None, "Units You Serve", readonly=True)


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
        pool = Pool()
        Party = pool.get('party.party')
        Unit = pool.get('service_center.unit')
        lines, party_ids, unit_ids = [], [], []
        # Any centre recognises any owner by the exact number, by name,
        # unit and project only: the records open to those it serves
        with without_check_access():
            for party in self.start.parties:
                party_ids.append(party.id)
                units = list(dict.fromkeys(party.units))
                unit_ids.extend(u.id for u in units if u.id not in unit_ids)
                lines.append(' — '.join(
                        [party.name or ''] + [u.rec_name for u in units]))
        with check_access():
            parties = Party.search([('id', 'in', party_ids)])
            units = Unit.search([('id', 'in', unit_ids)])
        return {
            'phone': self.start.phone,
            'e164': self.start.e164,
            'callers': '\n'.join(lines),
            'parties': list(map(int, parties)),
            'units': list(map(int, units)),
            }
