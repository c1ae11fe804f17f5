# This file is part of the coastal customer service project.
from trytond.tests import test_tryton


class ServiceCenterTestCase(test_tryton.ModuleTestCase):
    "Test Service Center module"
    module = 'service_center'


del test_tryton
