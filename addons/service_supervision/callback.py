# This file is part of the coastal customer service project.
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval


class Callback(metaclass=PoolMeta):
    __name__ = 'service_center.callback'
    sample = fields.Many2One(
        'service_center.callback.sample', "Sample", readonly=True,
        ondelete='RESTRICT',
        states={
            'invisible': ~Eval('sample'),
            })
