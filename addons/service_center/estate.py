# This file is part of the coastal customer service project.
"""The register's changes that move what a user may see: a region's
managers and deputies, a project's region"""
from trytond.pool import PoolMeta

from .res import ServiceAccessMixin


class Region(ServiceAccessMixin, metaclass=PoolMeta):
    __name__ = 'service_center.region'


class RegionDeputy(ServiceAccessMixin, metaclass=PoolMeta):
    __name__ = 'service_center.region.deputy'


class Project(ServiceAccessMixin, metaclass=PoolMeta):
    __name__ = 'service_center.project'
