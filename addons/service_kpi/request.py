# This file is part of the coastal customer service project.
from trytond.pool import PoolMeta

from .kpi_fact import EvaluatedMixin


class Request(EvaluatedMixin, metaclass=PoolMeta):
    __name__ = 'service_center.request'
    _evaluated_fields = {
        'state', 'center', 'received_date', 'kind', 'one_call',
        'escalation_level', 'alarm', 'repeat_of'}

    @classmethod
    def _evaluated_requests(cls, mode, requests):
        if mode == 'create':
            # A draft has no facts: those of the requests registered at
            # once (imports, tests) only
            return [r.id for r in requests if r.state != 'draft']
        return [r.id for r in requests]


class Deadline(EvaluatedMixin, metaclass=PoolMeta):
    __name__ = 'service_center.request.deadline'
    _evaluated_fields = {'state', 'met_at', 'due_at', 'target'}
