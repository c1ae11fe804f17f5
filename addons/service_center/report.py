# This file is part of the coastal customer service project.
"""The printed work order form (派工单) a department takes to the owner"""
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction

from .work_calendar import Calendar

DATETIME_FORMAT = '%Y-%m-%d %H:%M'


class ServiceReport(Report):
    "A printed document of the customer centre, its times in local time"

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Company = pool.get('company.company')
        context = super().get_context(records, header, data)
        company_id = Transaction().context.get('company')
        company = Company(company_id) if company_id else None
        timezone = (company.timezone if company and company.timezone
            else Calendar.default_timezone())

        def local(value):
            "The UTC timestamp value in the company's local time"
            if not value:
                return ''
            return cls.format_datetime(
                value, format=DATETIME_FORMAT, timezone=timezone)

        def label(record, name):
            "The translated label of the selection field's value"
            value = getattr(record, name)
            selection = dict(record.fields_get([name])[name]['selection'])
            return selection.get(value, '') or ''

        context['company'] = company
        context['local'] = local
        context['label'] = label
        return context


class WorkOrderReport(ServiceReport):
    __name__ = 'service_center.work_order.print'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['deadlines'] = lambda order: [d
            for d in order.request.deadlines
            if d.state != 'void' and d.work_order in {None, order}]
        return context
