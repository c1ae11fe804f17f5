# This file is part of the coastal customer service project.
from property_register.exceptions import InvalidPhoneNumber
from property_register.phone import format_phone

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import PoolMeta


class User(metaclass=PoolMeta):
    __name__ = 'res.user'
    mobile = fields.Char(
        "Mobile", help="Receives the dispatch and escalation text messages.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._preferences_fields.append('mobile')
        cls._context_fields.insert(0, 'mobile')

    @classmethod
    def validate_fields(cls, users, field_names):
        super().validate_fields(users, field_names)
        if 'mobile' in field_names:
            for user in users:
                if user.mobile and not format_phone(user.mobile):
                    raise InvalidPhoneNumber(gettext(
                            'property_register.msg_invalid_phone',
                            phone=user.mobile))

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('mobile'):
            values['mobile'] = format_phone(values['mobile']) or (
                values['mobile'])
        return values
