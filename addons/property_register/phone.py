# This file is part of the coastal customer service project.
"Phone numbers as the customer centre stores them: E.164"
import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from trytond import config


def default_region():
    return config.get('property_register', 'phone_region', default='CN')


def parse_phone(value, region=None):
    "Return the valid phonenumber of value or None"
    if not value or not isinstance(value, str) or len(value) > 64:
        return None
    try:
        number = phonenumbers.parse(value, region or default_region())
    except NumberParseException:
        return None
    if phonenumbers.is_valid_number(number):
        return number
    return None


def format_phone(value, region=None):
    "Return value in E.164 or None when it is not a valid number"
    number = parse_phone(value, region=region)
    if number:
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def format_international(value, region=None):
    "Return value as the party module shows it or None when it is not valid"
    number = parse_phone(value, region=region)
    if number:
        return phonenumbers.format_number(
            number, PhoneNumberFormat.INTERNATIONAL)


def is_mobile(value, region=None):
    number = parse_phone(value, region=region)
    return bool(number) and phonenumbers.number_type(number) in {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        }
