# This file is part of the coastal customer service project.
from trytond.model import fields
from trytond.pool import PoolMeta


class Region(metaclass=PoolMeta):
    __name__ = 'service_center.region'
    sample_mode = fields.Selection([
            ('sampled', "By the Region"),
            ('cross', "Cross-Check by Another Centre"),
            ], "Sampled Call-backs", required=True,
        help="Who calls back the region's monthly sample of closed "
        "requests.")

    @classmethod
    def default_sample_mode(cls):
        return 'sampled'
