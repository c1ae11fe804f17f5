# This file is part of the coastal customer service project.
"""The owners' portal: owners log in on their phones, see their homes and
keep their profile.  Other modules add their pages and endpoints by
extending owner_portal.api (owner_portal_request: the owners' requests)."""
from . import routes  # noqa: F401  (registers the portal's URLs)
