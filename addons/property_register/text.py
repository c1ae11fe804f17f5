# This file is part of the coastal customer service project.
"""Text as people meant it: without the invisible characters that can make
one name look like another to the staff (right-to-left overrides,
zero-width spaces and joiners, other control and format characters) and
in one Unicode form"""
import unicodedata

from trytond.model import fields

# Unicode categories removed: controls (Cc, but for the line feed and the
# tab), formats (Cf: bidirectional overrides, isolates and marks, zero-width
# space and joiners, byte order mark, soft hyphen...) and surrogates (Cs:
# only ever unpaired in a Python string)
REMOVED = {'Cc', 'Cf', 'Cs'}
KEPT = {'\n', '\t'}


def clean(value):
    """The text of value without control, format and surrogate characters,
    its line breaks as "\\n", NFC-normalised; what is not a string is
    returned as it is"""
    if not isinstance(value, str):
        return value
    value = value.replace('\r\n', '\n').replace('\r', '\n')
    if not value.isascii() or not value.isprintable():
        value = ''.join(c for c in value
            if c in KEPT or unicodedata.category(c) not in REMOVED)
        value = unicodedata.normalize('NFC', value)
    return value


def is_text_field(field):
    "Whether the field (or the field a function field wraps) holds text"
    return isinstance(getattr(field, '_field', field), fields.Char)


class CleanTextMixin:
    """Clean (with clean) the values of the model's text fields (Char and
    Text, also behind a function field's setter) that create and write
    store, wherever they come from: the desk, an import, the portal or
    another module"""
    __slots__ = ()

    @classmethod
    def preprocess_values(cls, mode, values):
        values = values.copy()
        for name, value in list(values.items()):
            if (isinstance(value, str) and name in cls._fields
                    and is_text_field(cls._fields[name])):
                values[name] = clean(value)
        return super().preprocess_values(mode, values)
