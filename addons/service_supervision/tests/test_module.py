# This file is part of the coastal customer service project.
from property_register.tests.tools import SaoListsMixin

from trytond.tests import test_tryton


class ServiceSupervisionTestCase(SaoListsMixin, test_tryton.ModuleTestCase):
    "Test Service Supervision module"
    module = 'service_supervision'
