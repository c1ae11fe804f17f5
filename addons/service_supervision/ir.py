# This file is part of the coastal customer service project.
from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('service_center.callback.sample|draw_monthly',
                    "Draw the Monthly Call-back Samples"),
                ('service_center.courtesy_call|plan_monthly',
                    "Plan the Monthly Courtesy Calls"),
                ])
