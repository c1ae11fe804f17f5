# This file is part of the coastal customer service project.
from owner_portal.exceptions import PortalError


class PhotoTooLarge(PortalError):
    "A photo or a signature too large to be decoded, answered with 413"
    http_status = 413
