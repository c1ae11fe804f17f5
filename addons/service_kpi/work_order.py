# This file is part of the coastal customer service project.
from trytond.pool import PoolMeta

from .kpi_fact import EvaluatedMixin


class WorkOrder(EvaluatedMixin, metaclass=PoolMeta):
    __name__ = 'service_center.work_order'
    _evaluated_fields = {'state', 'cost', 'cost_bearer'}
