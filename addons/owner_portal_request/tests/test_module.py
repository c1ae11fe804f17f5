# This file is part of the coastal customer service project.
from property_register.tests.tools import SaoListsMixin

from trytond.tests import test_tryton


class OwnerPortalRequestTestCase(
        SaoListsMixin, test_tryton.ModuleTestCase):
    "Test Owner Portal Request module"
    module = 'owner_portal_request'
