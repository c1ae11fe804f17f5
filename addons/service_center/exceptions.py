# This file is part of the coastal customer service project.
from trytond.model.exceptions import ValidationError


class CenterError(ValidationError):
    pass


class DepartmentError(ValidationError):
    pass


class CalendarError(ValidationError):
    pass


class SLAError(ValidationError):
    pass


class RequestError(ValidationError):
    pass


class WorkOrderError(ValidationError):
    pass


class CallbackError(ValidationError):
    pass


class AlarmError(ValidationError):
    pass
