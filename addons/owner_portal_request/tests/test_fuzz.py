# This file is part of the coastal customer service project.
"""Thousands of generated bad inputs across the portal's endpoints with the
request pages: the server answers each with a clear refusal, never a
server error, and keeps no markup"""
from owner_portal.tests import test_fuzz

from trytond.pool import Pool
from trytond.tests import test_tryton

from . import tools


class RequestFuzzTestCase(
        test_fuzz.FuzzMixin, tools.RequestFixtures,
        test_tryton.RouteTestCase):
    "Fuzz the portal's endpoints with the request pages"
    fields = test_fuzz.FIELDS + [
        'unit', 'project', 'kind', 'category', 'description', 'location',
        'confirmed', 'satisfaction', 'comment', 'signature',
        ]
    endpoints = test_fuzz.ENDPOINTS + [
        ('GET', 'choices'), ('GET', 'requests'), ('POST', 'requests'),
        ('GET', 'requests/{id}'), ('POST', 'requests/{id}/rate'),
        ('POST', 'work_orders/{id}/sign'), ('GET', 'photos/{id}'),
        ('DELETE', 'requests/{id}'),
        ]

    def stored_texts(self):
        Request = Pool().get('service_center.request')
        requests = Request.search([])
        return (super().stored_texts()
            + [r.description for r in requests]
            + [r.location or '' for r in requests])
