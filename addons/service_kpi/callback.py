# This file is part of the coastal customer service project.
from trytond.pool import PoolMeta

from .kpi_fact import EvaluatedMixin


class Callback(EvaluatedMixin, metaclass=PoolMeta):
    __name__ = 'service_center.callback'
    _evaluated_fields = {
        'state', 'reached', 'confirmed_closed', 'satisfaction', 'level',
        'contradicts'}
