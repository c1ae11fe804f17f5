# This file is part of the coastal customer service project.
from property_register.common import clearing

from trytond.cache import Cache
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

_scope_cache = Cache('service_center.user_scope', context=False)
# Models whose changes move what a user may see of the register
ServiceAccessMixin = clearing(_scope_cache)


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def get_service_scope(cls, user_id=None):
        """Return the ids of the projects and centres the user works for,
        or None when the user is not bound to any"""
        if user_id is None:
            user_id = Transaction().user
        scope = _scope_cache.get(user_id)
        if scope is None:
            scope = cls._compute_service_scope(user_id)
            _scope_cache.set(user_id, scope)
        return scope

    @classmethod
    def _compute_service_scope(cls, user_id):
        pool = Pool()
        Center = pool.get('service_center.center')
        Department = pool.get('service_center.department')
        Region = pool.get('service_center.region')
        Project = pool.get('service_center.project')
        projects, centers, departments = set(), set(), set()
        regions = set()
        with Transaction().set_context(active_test=False), \
                Transaction().set_user(0):
            for center in Center.search(['OR',
                        ('manager', '=', user_id),
                        ('deputy', '=', user_id),
                        ('receptionists.user', '=', user_id),
                        ]):
                centers.add(center.id)
                projects.update(p.id for p in center.projects)
            for department in Department.search(['OR',
                        ('responsible', '=', user_id),
                        ('head', '=', user_id),
                        ]):
                departments.add(department.id)
                if department.projects:
                    projects.update(p.id for p in department.projects)
                else:
                    regions.add(department.region.id)
            regions.update(r.id for r in Region.search(['OR',
                        ('leader', '=', user_id),
                        ('developer_manager', '=', user_id),
                        ('engineering_manager', '=', user_id),
                        ('property_manager', '=', user_id),
                        ('deputy_managers.user', '=', user_id),
                        ]))
            if regions:
                projects.update(map(int, Project.search([
                                ('region', 'in', list(regions)),
                                ])))
                centers.update(map(int, Center.search([
                                ('region', 'in', list(regions)),
                                ])))
        return {
            'projects': sorted(projects),
            'centers': sorted(centers),
            'departments': sorted(departments),
            }
