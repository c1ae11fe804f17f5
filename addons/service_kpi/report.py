# This file is part of the coastal customer service project.
"The centre's monthly evaluation, printed"
from service_center.callback import SATISFIED
from service_center.report import ServiceReport

from trytond.pool import Pool

from .kpi import context_period


class CenterKPIReport(ServiceReport):
    __name__ = 'service_center.kpi.center.print'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        KPI = pool.get('service_center.kpi.center')
        Request = pool.get('service_center.request')
        context = super().get_context(records, header, data)
        from_date, to_date = context_period()
        context['from_date'], context['to_date'] = from_date, to_date

        def attention(row):
            """The period's requests of the row's centre that need the
            management's eye: escalated to the deputy general manager or
            above, reopened, or not accepted at a call-back"""
            return Request.search(KPI.requests_domain(row) + [
                    ['OR',
                        ('escalation_level', '>=', 2),
                        ('state', '=', 'reopened'),
                        ('callbacks', 'where', [
                                ('state', '=', 'done'),
                                ['OR',
                                    ('confirmed_closed', '=', False),
                                    ('satisfaction', 'not in',
                                        list(SATISFIED)),
                                    ],
                                ]),
                        ],
                    ], order=[('received_at', 'ASC'), ('id', 'ASC')])
        context['attention'] = attention

        def percent(value):
            return '' if value is None else '%.1f%%' % (value * 100)
        context['percent'] = percent
        return context
