# This file is part of the coastal customer service project.
from trytond.pool import PoolMeta


class Notification(metaclass=PoolMeta):
    __name__ = 'service_center.notification'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + [
            'service_center.request',
            'service_center.work_order',
            'service_center.escalation',
            'service_center.alarm',
            ]
