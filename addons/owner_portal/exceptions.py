# This file is part of the coastal customer service project.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class PortalError(UserError):
    "A mistake of the owner, told in the owner's language"


class PortalNotFound(PortalError):
    "The record is not the owner's, or does not exist: nothing more is said"


class InvitationError(UserError):
    pass


class WebUserError(ValidationError):
    pass
