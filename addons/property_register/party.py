# This file is part of the coastal customer service project.
from collections import defaultdict

from sql import Literal

from trytond.i18n import gettext
from trytond.model import Index, fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .access import ReadRulesMixin
from .common import MAX_IDS
from .exceptions import InvalidPhoneNumber
from .phone import default_region, format_phone, parse_phone
from .text import CleanTextMixin

PHONE_TYPES = ['phone', 'mobile']


class Party(ReadRulesMixin, CleanTextMixin, metaclass=PoolMeta):
    __name__ = 'party.party'
    _phone_query = None
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
        ownership = Ownership.__table__()
        cursor = Transaction().connection.cursor()
        units = {p.id: [] for p in parties}
        for sub_ids in grouped_slice(list(units), MAX_IDS):
            # The parties and units of the current ownerships, in one
            # query: the caller's units at each recognition
            current = Ownership.search([
                    ('party', 'in', list(sub_ids)),
                    Unit._current_ownership_domain(),
                    ], order=[], query=True)
            cursor.execute(*ownership.select(
                    ownership.party, ownership.unit,
                    where=ownership.id.in_(current),
                    order_by=[ownership.unit.asc, ownership.id.asc]))
            for party, unit in cursor:
                units[party].append(unit)
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
                    'property_register.msg_invalid_phone', phone=number or ''))
        if cls._phone_query is None:
            # The ORM compares COALESCE(value_compact, ?), which no index
            # serves; and this runs on every call the centre takes
            mechanism = ContactMechanism.__table__()
            cls._phone_query = tuple(mechanism.select(
                    mechanism.party,
                    where=(mechanism.value_compact == '')
                    & cls._phone_where(mechanism)))
        query, params = cls._phone_query
        cursor = Transaction().connection.cursor()
        cursor.execute(query, (e164,) + tuple(params[1:]))
        return e164, cls.browse(sorted({p for p, in cursor}))

    @classmethod
    def _phone_where(cls, mechanism):
        "The contact mechanisms at which a caller is recognised"
        return (mechanism.type.in_(PHONE_TYPES)
            & (mechanism.active == Literal(True)))

    @classmethod
    def party_ids_by_phone(cls, numbers):
        """Return the ids of the parties reached at each of the normalised
        numbers, as search_by_phone finds them, in batches"""
        pool = Pool()
        ContactMechanism = pool.get('party.contact_mechanism')
        mechanism = ContactMechanism.__table__()
        cursor = Transaction().connection.cursor()
        parties = defaultdict(set)
        for sub in grouped_slice(sorted(numbers), MAX_IDS):
            cursor.execute(*mechanism.select(
                    mechanism.value_compact, mechanism.party,
                    where=mechanism.value_compact.in_(list(sub))
                    & cls._phone_where(mechanism)))
            for number, party in cursor:
                parties[number].add(party)
        return parties


class Address(ReadRulesMixin, CleanTextMixin, metaclass=PoolMeta):
    __name__ = 'party.address'


class ContactMechanism(ReadRulesMixin, CleanTextMixin, metaclass=PoolMeta):
    __name__ = 'party.contact_mechanism'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.value_compact, Index.Equality())))

    @fields.depends('party', '_parent_party.addresses')
    def _phone_country_codes(self):
        yield from super()._phone_country_codes()
        yield default_region()

    @fields.depends(methods=['_phone_country_codes'])
    def _parse_phonenumber(self, value):
        # A number with its country code needs no country to be parsed:
        # skip reading the party's and the company's addresses, which the
        # party module does for every parse, several times per phone
        if value and value.lstrip().startswith('+'):
            number = parse_phone(value)
            if number:
                return number
        return super()._parse_phonenumber(value)
