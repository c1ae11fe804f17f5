# This file is part of the coastal customer service project.
from trytond.model import fields
from trytond.pool import PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    service_requests = fields.One2Many(
        'service_center.request', 'party', "Requests", readonly=True,
        help="The requests the party made to the customer centres.")
