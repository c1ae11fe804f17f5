# This file is part of the coastal customer service project.
from trytond.pool import PoolMeta

from .common import company_timezone


class Date(metaclass=PoolMeta):
    __name__ = 'ir.date'

    @classmethod
    def today(cls, timezone=None):
        # The company's time zone from the cache: the company module reads
        # the company at each call
        if timezone is None:
            timezone = company_timezone()
        return super().today(timezone=timezone)
