# This file is part of the coastal customer service project.
"""What the staff may reach of the register and of the modules built on it,
whatever RPC verb they use"""
from trytond.transaction import Transaction

RELATIONS = {'many2one', 'one2many', 'many2many', 'one2one', 'reference'}


def read_paths(Model, fields_names):
    """Return the names that read reaches the records of an export through:
    owners/mobile becomes owners.mobile, and an exported relation reads the
    name of its target"""
    paths = set()
    for name in fields_names:
        parts, Target = [], Model
        for part in name.split('/'):
            # name.translated, name:lang=zh_CN: the field is name
            part = part.split(':lang=')[0].split('.')[0]
            field = Target._fields.get(part)
            if field is None:
                # export_data itself refuses the unknown name
                break
            parts.append(part)
            if field._type not in RELATIONS:
                break
            if field._type == 'reference':
                # Its records are of any model: read checks their names
                parts.append('rec_name')
                break
            Target = field.get_target()
        else:
            # The relation at the end is exported by its records' names
            parts.append('rec_name')
        if parts:
            paths.add('.'.join(parts))
    return sorted(paths)


class ReadRulesMixin:
    """Export and copy only what read returns: the records and every record
    the paths of an export cross are checked against the access and the
    record rules of their model.

    trytond 8.0 evaluates the record rules of an export in Python, where a
    rule through a relation (a project's centre, the __access__ of a unit)
    always holds, and copy reads the records without their rules: both
    returned records that read refused."""
    __slots__ = ()

    @classmethod
    def _check_read(cls, records, fields_names=()):
        "Raise AccessError unless the user may read the records' paths"
        transaction = Transaction()
        if transaction.user and transaction.check_access and records:
            cls.read(
                list({r.id for r in records}),
                read_paths(cls, fields_names))

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        cls._check_read(records, fields_names)
        return super().export_data(records, fields_names, header=header)

    @classmethod
    def copy(cls, records, default=None):
        cls._check_read(records)
        return super().copy(records, default=default)
