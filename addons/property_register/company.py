# This file is part of the coastal customer service project.
from trytond.pool import PoolMeta

from .common import clearing, company_timezones


class Company(clearing(company_timezones), metaclass=PoolMeta):
    __name__ = 'company.company'
