# This file is part of the coastal customer service project.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class SurveyError(ValidationError):
    pass


class SurveyImportError(UserError):
    pass
