# This file is part of the coastal customer service project.
from property_register.tests.tools import SaoListsMixin

from trytond.tests import test_tryton


class ServiceCenterTestCase(SaoListsMixin, test_tryton.ModuleTestCase):
    "Test Service Center module"
    module = 'service_center'
