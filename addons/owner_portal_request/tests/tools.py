# This file is part of the coastal customer service project.
"What the request pages' tests add to the portal's fixtures"
from owner_portal.tests import tools

from trytond.pool import Pool


class RequestFixtures(tools.PortalFixtures):
    """The portal's two owners, the centre that serves their project and a
    department with its responsible person"""
    module = 'owner_portal_request'

    @classmethod
    def setUpOwners(cls, company):
        super().setUpOwners(company)
        pool = Pool()
        Region = pool.get('service_center.region')
        Project = pool.get('service_center.project')
        Center = pool.get('service_center.center')
        User = pool.get('res.user')
        Department = pool.get('service_center.department')
        region, = Region.search([])
        project, = Project.search([])
        Center.create([{
                    'name': "Centre", 'code': 'C', 'region': region.id,
                    'projects': [('add', [project.id])]}])
        eddie, = User.create([{
                    'login': 'eddie', 'name': "Eddie",
                    'email': 'eddie@example.com',
                    'mobile': '+8613800138002'}])
        Department.create([{
                    'name': "Engineering", 'kind': 'engineering',
                    'region': region.id, 'responsible': eddie.id}])
