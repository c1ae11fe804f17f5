# This file is part of the coastal customer service project.
"""The owners' portal: owners log in on their phones, submit and follow
their requests, sign off work orders and rate the service.  Other modules
add their pages and endpoints by extending owner_portal.api."""
from . import routes  # noqa: F401  (registers the portal's URLs)
