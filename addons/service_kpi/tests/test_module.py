# This file is part of the coastal customer service project.
from property_register.tests.tools import SaoListsMixin

from trytond.tests import test_tryton


class ServiceKPITestCase(SaoListsMixin, test_tryton.ModuleTestCase):
    "Test Service KPI module"
    module = 'service_kpi'
