# This file is part of the coastal customer service project.
"""What the portal's tests share with the tests of the modules that add
pages to it: two owners with their web users, and the calls of a phone"""
import datetime as dt
import json

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

from ..api import CSRF_HEADER

PASSWORD = 'harbour-view-7'
# Owner A and owner B, as they type their numbers
MOBILE_A, MOBILE_B = '139 1234 5670', '+86 139-1234-5671'


class PortalFixtures:
    """Two owners of a project, with their web users; a module that adds
    pages extends setUpOwners with what its pages need"""
    module = 'owner_portal'

    @classmethod
    def setUpDatabase(cls):
        company = create_company()
        with set_company(company):
            cls.setUpOwners(company)

    @classmethod
    def setUpOwners(cls, company):
        pool = Pool()
        Region = pool.get('service_center.region')
        Project = pool.get('service_center.project')
        Building = pool.get('service_center.building')
        Unit = pool.get('service_center.unit')
        Party = pool.get('party.party')
        Ownership = pool.get('service_center.ownership')
        WebUser = pool.get('web.user')
        region, = Region.create([{
                    'name': "Dalian", 'code': 'DL',
                    'company': company.id}])
        project, = Project.create([{
                    'name': "Seaside", 'code': 'HY',
                    'region': region.id}])
        building, = Building.create([{
                    'project': project.id, 'name': '1'}])
        units = Unit.create([{
                    'project': project.id, 'building': building.id,
                    'room': str(101 + i), 'code': '1-%s' % (101 + i),
                    'handover_date': dt.date(2025, 1, 1)}
                for i in range(2)])
        owners = Party.create([{
                    'name': name,
                    'contact_mechanisms': [('create', [{
                                    'type': 'mobile', 'value': mobile}])],
                    } for name, mobile in [
                    ("Owner A", MOBILE_A), ("Owner B", MOBILE_B)]])
        Ownership.create([{
                    'unit': u.id, 'party': o.id, 'role': 'owner',
                    'start_date': dt.date(2025, 1, 1)}
                for u, o in zip(units, owners)])
        WebUser.create([{
                    'party': o.id, 'mobile': m, 'password': PASSWORD}
                for o, m in zip(owners, [MOBILE_A, MOBILE_B])])

    def setUp(self):
        super().setUp()
        # Each test starts with no failed login on record
        with Transaction().start(DB_NAME, 0):
            Attempt = Pool().get('web.user.authenticate.attempt')
            Attempt.delete(Attempt.search([]))

    def url(self, path):
        return '/%s/portal/api/%s' % (self.db_name, path)

    def login(self, client, login=MOBILE_A, password=PASSWORD):
        "Log in; return the answer and the CSRF header of the session"
        response = client.post(self.url('login'), json={
                'login': login, 'password': password})
        token = response.json.get('csrf_token', '') if response.json else ''
        return response, {CSRF_HEADER: token}

    def send(self, client, method, path, data, headers):
        return client.open(
            self.url(path), method=method, data=json.dumps(data),
            content_type='application/json', headers=headers)

    def _unit_id(self, mobile):
        with Transaction().start(DB_NAME, 0):
            Party = Pool().get('party.party')
            _, (party,) = Party.search_by_phone(mobile)
            unit, = party.units
            return unit.id

    def _project_id(self):
        with Transaction().start(DB_NAME, 0):
            Project = Pool().get('service_center.project')
            project, = Project.search([])
            return project.id
