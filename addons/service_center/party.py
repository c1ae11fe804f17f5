# This file is part of the coastal customer service project.
from sql.conditionals import Coalesce

from trytond.i18n import gettext
from trytond.model import Index, fields
from trytond.pool import Pool, PoolMeta

from .exceptions import InvalidPhoneNumber
from .phone import default_region, format_phone

PHONE_TYPES = ['phone', 'mobile']


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    ownerships = fields.One2Many(
        'service_center.ownership', 'party', "Ownerships", readonly=True)
    units = fields.Function(
        fields.Many2Many('service_center.unit', None, None, "Current Units"),
        'get_units', searcher='search_units')

    @classmethod
    def get_units(cls, parties, name):
        pool = Pool()
        Ownership = pool.get('service_center.ownership')
        Unit = pool.get('service_center.unit')
        units = {p.id: [] for p in parties}
        for ownership in Ownership.search([
                    ('party', 'in', list(units)),
                    Unit._current_ownership_domain(),
                    ], order=[('unit', 'ASC')]):
            units[ownership.party.id].append(ownership.unit.id)
        return units

    @classmethod
    def search_units(cls, name, clause):
        pool = Pool()
        Unit = pool.get('service_center.unit')
        nested = clause[0][len(name) + 1:] or 'rec_name'
        return [('ownerships', 'where', [
                    ('unit.' + nested,) + tuple(clause[1:]),
                    Unit._current_ownership_domain(),
                    ])]

    @classmethod
    def search_rec_name(cls, name, clause):
        domain = super().search_rec_name(name, clause)
        operator, operand = clause[1], clause[2]
        if operator in {'=', 'ilike', 'like'} and isinstance(operand, str):
            e164 = format_phone(operand.strip('%'))
            if e164:
                domain = ['OR', domain,
                    ('contact_mechanisms', 'where', [
                            ('type', 'in', PHONE_TYPES),
                            ('value_compact', '=', e164),
                            ])]
        return domain

    @classmethod
    def search_by_phone(cls, number):
        """Return the normalised number and the parties reached at it.
        Raise InvalidPhoneNumber when number is not a phone number."""
        pool = Pool()
        ContactMechanism = pool.get('party.contact_mechanism')
        e164 = format_phone(number)
        if not e164:
            raise InvalidPhoneNumber(gettext(
                    'service_center.msg_invalid_phone', phone=number or ''))
        mechanisms = ContactMechanism.search([
                ('type', 'in', PHONE_TYPES),
                ('value_compact', '=', e164),
                ], order=[])
        parties = sorted({m.party for m in mechanisms}, key=lambda p: p.id)
        return e164, parties


class ContactMechanism(metaclass=PoolMeta):
    __name__ = 'party.contact_mechanism'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        # Searches on a Char that is not required compare COALESCE(col, '')
        cls._sql_indexes.add(Index(
                t, (Coalesce(t.value_compact, ''), Index.Equality())))

    @fields.depends('party', '_parent_party.addresses')
    def _phone_country_codes(self):
        yield from super()._phone_country_codes()
        yield default_region()
