# This file is part of the coastal customer service project.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class InvalidPhoneNumber(UserError):
    pass


class OwnershipError(ValidationError):
    pass


class RosterError(UserError):
    pass
