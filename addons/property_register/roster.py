# This file is part of the coastal customer service project.
import csv
import datetime as dt
import io
import itertools
import json
import logging
import re
import zipfile
from decimal import Decimal, InvalidOperation

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType
from sql import Cast, Column, Literal, Select
from sql.functions import CurrentTimestamp

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import PYSONEncoder
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateAction, StateView, Wizard

from . import clock
from .access import ReadRulesMixin
from .common import MAX_IDS
from .exceptions import RosterError
from .party import PHONE_TYPES
from .phone import parse_phone
from .text import clean

logger = logging.getLogger(__name__)

# Header texts the sales offices use, per column
COLUMNS = {
    'project_code': ['项目编码', '项目代码', '项目编号', 'project code'],
    'building': ['楼栋', '楼号', '栋号', 'building'],
    'entrance': ['单元', '单元号', 'entrance'],
    'floor': ['楼层', '层', 'floor'],
    'room': ['房号', '房间号', '室号', 'room'],
    'area': ['面积', '建筑面积', 'area'],
    'handover_date': ['交房日期', '入伙日期', 'handover date'],
    'owner_name': ['业主姓名', '业主', '姓名', 'owner name', 'owner'],
    'id_number': [
        '证件号码', '身份证号', '身份证号码', 'identity number',
        'id number', 'id/passport number'],
    'phones': ['电话', '联系电话', '手机', 'phones', 'phone'],
    'email': ['邮箱', '电子邮件', 'email', 'e-mail'],
    }
REQUIRED_COLUMNS = {'project_code', 'building', 'room', 'owner_name'}
PHONE_SEPARATORS = re.compile(r'[,;/、，；|\n]+')
DATE_FORMATS = ['%Y-%m-%d', '%Y/%m/%d', '%Y.%m.%d', '%Y年%m月%d日', '%Y%m%d']
EMAIL = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')
# Rows written together: smaller batches keep record lists short, and
# Tryton checks every record list at each instantiation
BATCH = 250
# Sales exports often put a title or two above the header
HEADER_SEARCH_ROWS = 5


class RosterRowError(Exception):
    "A row that cannot be imported, with the message that says why"

    def __init__(self, message, **values):
        super().__init__(message)
        self.message = message
        self.values = values


def _header_key(text):
    text = re.sub(r'\s+', ' ', str(text or '')).strip().lower()
    for key, names in COLUMNS.items():
        if text in names:
            return key


def _cell(value):
    "Return the text of a spreadsheet cell, keeping dates"
    if value is None:
        return ''
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xls(data):
    import xlrd
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except xlrd.XLRDError as exception:
        raise RosterError(gettext(
                'property_register.msg_roster_unreadable',
                error=str(exception)))

    def rows(sheet):
        for index in range(sheet.nrows):
            row = []
            for cell in sheet.row(index):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate_as_datetime(
                            cell.value, book.datemode).date())
                else:
                    row.append(_cell(cell.value))
            yield row

    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        yield sheet.name, rows(sheet)
        book.unload_sheet(index)


def _read_xlsx(data):
    import openpyxl
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError) as exception:
        raise RosterError(gettext(
                'property_register.msg_roster_unreadable',
                error=str(exception)))
    try:
        for sheet in book.worksheets:
            yield sheet.title, (
                [_cell(v) for v in values]
                for values in sheet.iter_rows(values_only=True))
    finally:
        book.close()


def _read_csv(data):
    for encoding in ['utf-8-sig', 'gb18030']:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterError(gettext(
                'property_register.msg_roster_unreadable', error='encoding'))
    yield None, ([_cell(v) for v in row]
        for row in csv.reader(io.StringIO(text)))


def read_roster(data):
    """Yield (sheet, row number, {column: value}) of a roster in .xls, .xlsx
    or .csv, recognised by its content, not its name. Every sheet of a
    workbook is read: an .xls sheet holds at most 65 536 rows."""
    if data[:8] == b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1':
        sheets = _read_xls(data)
    elif data[:4] == b'PK\x03\x04':
        sheets = _read_xlsx(data)
    else:
        sheets = _read_csv(data)
    found = False
    for sheet, rows in sheets:
        header = None
        for number, row in enumerate(rows, 1):
            if not any(isinstance(c, dt.date) or c for c in row):
                continue
            if header is None:
                keys = [_header_key(c) for c in row]
                if REQUIRED_COLUMNS <= set(keys):
                    header, found = keys, True
                elif number >= HEADER_SEARCH_ROWS:
                    raise RosterError(gettext(
                            'property_register.msg_roster_no_header',
                            sheet=sheet or ''))
                continue
            yield sheet, number, {
                k: v for k, v in zip(header, row) if k}
    if not found:
        raise RosterError(gettext(
                'property_register.msg_roster_no_header', sheet=''))


def _parse_date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not value:
        return None
    value = value.split(' ')[0]
    for format_ in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, format_).date()
        except ValueError:
            continue
    raise RosterRowError(
        'property_register.msg_roster_bad_date', value=value)


def _parse_decimal(value, column):
    if value in ('', None):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal('0.01'))
    except InvalidOperation:
        number = None
    if number is None or number < 0:
        raise RosterRowError(
            'property_register.msg_roster_bad_number',
            column=column, value=value)
    return number


def _parse_int(value, column):
    if value in ('', None):
        return None
    try:
        return int(str(value))
    except ValueError:
        raise RosterRowError(
            'property_register.msg_roster_bad_number',
            column=column, value=value)


def _text(value):
    "The text of a cell, without invisible characters (text.clean)"
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean(str(value or '')).strip()


def _phone_values(value):
    """Return the contact mechanism values of a phone number as the party
    module stores them (E.164 in value_compact), or None when it is not a
    valid number; parsed once, which is most of the cost of a row"""
    number = parse_phone(value)
    if not number:
        return None
    mobile = phonenumbers.number_type(number) in {
        PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
    return {
        'type': 'mobile' if mobile else 'phone',
        'value': phonenumbers.format_number(
            number, PhoneNumberFormat.INTERNATIONAL),
        'value_compact': phonenumbers.format_number(
            number, PhoneNumberFormat.E164),
        }


class RosterLine:
    "One clean row of a roster"
    __slots__ = (
        'number', 'project', 'building', 'entrance', 'floor', 'room', 'code',
        'area', 'handover_date', 'owner_name', 'id_number', 'phones',
        'phone_values', 'email')

    @property
    def unit_key(self):
        return (self.project.id, self.code)

    @property
    def owner_key(self):
        if self.id_number:
            return ('id', self.id_number)
        return ('name', self.owner_name, tuple(self.phones))


class RosterImport(ReadRulesMixin, ModelSQL, ModelView):
    __string__ = "Roster Import"
    __name__ = 'service_center.roster_import'
    _rec_name = 'filename'
    filename = fields.Char("File Name", readonly=True)
    user = fields.Many2One('res.user', "Imported by", readonly=True)
    date = fields.DateTime("Imported at", readonly=True)
    rows = fields.Integer("Rows", readonly=True)
    imported = fields.Integer("Rows Imported", readonly=True)
    failed = fields.Integer("Rows Refused", readonly=True)
    units_created = fields.Integer("Units Created", readonly=True)
    units_updated = fields.Integer("Units Updated", readonly=True)
    owners_created = fields.Integer("Owners Created", readonly=True)
    ownerships_started = fields.Integer("Ownerships Started", readonly=True)
    ownerships_ended = fields.Integer("Ownerships Ended", readonly=True)
    errors = fields.One2Many(
        'service_center.roster_import.error', 'roster_import', "Errors",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def import_file(cls, filename, data):
        "Import the roster and return its import record"
        pool = Pool()
        Date = pool.get('ir.date')
        record = cls(
            filename=filename, user=Transaction().user,
            date=clock.now(), rows=0, imported=0, failed=0,
            units_created=0, units_updated=0, owners_created=0,
            ownerships_started=0, ownerships_ended=0)
        errors = []
        lines = []
        seen_units = {}
        projects = cls._projects()
        for sheet, number, values in read_roster(data):
            record.rows += 1
            try:
                line = cls._clean(sheet, number, values, projects)
                cls._check_duplicate(line, seen_units)
            except RosterRowError as error:
                errors.append(((sheet or '', number), error))
                continue
            lines.append(line)
            if record.rows % 10000 == 0:
                logger.info("%s: %d rows read", filename, record.rows)
        lines = cls._check_known_owners(lines, errors)
        writer = _RosterWriter(record, Date.today())
        for i in range(0, len(lines), BATCH):
            writer.write(lines[i:i + BATCH])
            logger.info(
                "%s: %d/%d rows imported", filename,
                min(i + BATCH, len(lines)), len(lines))
        record.imported = len(lines)
        record.failed = len({n for n, _ in errors})
        record.errors = [{
                'sheet': number[0],
                'row': number[1],
                'message': error.message,
                'values': json.dumps(
                    {k: _text(v) for k, v in error.values.items()},
                    ensure_ascii=False),
                } for number, error in sorted(errors, key=lambda e: e[0])]
        record.save()
        return record

    @classmethod
    def _projects(cls):
        Project = Pool().get('service_center.project')
        return {p.code.strip().upper(): p for p in Project.search([])}

    @classmethod
    def _clean(cls, sheet, number, values, projects):
        pool = Pool()
        Unit = pool.get('service_center.unit')
        for column in ['project_code', 'building', 'room', 'owner_name']:
            if not _text(values.get(column)):
                raise RosterRowError(
                    'property_register.msg_roster_missing_value',
                    column=column)
        line = RosterLine()
        line.number = (sheet or '', number)
        code = _text(values['project_code']).upper()
        line.project = projects.get(code)
        if not line.project:
            raise RosterRowError(
                'property_register.msg_roster_unknown_project', code=code)
        line.building = _text(values['building'])
        line.entrance = _text(values.get('entrance')) or None
        line.room = _text(values['room'])
        line.floor = _parse_int(values.get('floor'), 'floor')
        line.area = _parse_decimal(values.get('area'), 'area')
        line.handover_date = _parse_date(values.get('handover_date'))
        line.code = Unit.make_code(line.building, line.entrance, line.room)
        line.owner_name = re.sub(r'\s+', ' ', _text(values['owner_name']))
        line.id_number = _text(values.get('id_number')).upper() or None
        line.phones, line.phone_values = [], []
        for phone in PHONE_SEPARATORS.split(_text(values.get('phones'))):
            if not phone.strip():
                continue
            phone_values = _phone_values(phone)
            if not phone_values:
                raise RosterRowError(
                    'property_register.msg_roster_bad_phone', phone=phone)
            if phone_values['value_compact'] not in line.phones:
                line.phones.append(phone_values['value_compact'])
                line.phone_values.append(phone_values)
        line.email = _text(values.get('email')).lower() or None
        if line.email and not EMAIL.match(line.email):
            raise RosterRowError(
                'property_register.msg_roster_bad_email', email=line.email)
        return line

    @classmethod
    def _check_duplicate(cls, line, seen_units):
        "A unit given twice in a file must name the same owner"
        previous = seen_units.get(line.unit_key)
        if previous and previous.owner_key != line.owner_key:
            raise RosterRowError(
                'property_register.msg_roster_conflicting_owner',
                unit=line.code, row=previous.number[1],
                owner=previous.owner_name)
        seen_units.setdefault(line.unit_key, line)

    @classmethod
    def _check_known_owners(cls, lines, errors):
        "An identity number already known must keep its owner's name"
        pool = Pool()
        Identifier = pool.get('party.identifier')
        numbers = sorted({line.id_number for line in lines if line.id_number})
        rows = []
        for sub in grouped_slice(numbers, MAX_IDS):
            rows.extend(Identifier.search_read([
                        ('code', 'in', list(sub)),
                        ], order=[], fields_names=['code', 'party.name']))
        names = {r['code'].upper(): r['party.']['name'] for r in rows}
        file_names = {}
        good = []
        for line in lines:
            if line.id_number:
                name = names.get(line.id_number) or file_names.setdefault(
                    line.id_number, line.owner_name)
                if name != line.owner_name:
                    errors.append((line.number, RosterRowError(
                                'property_register.msg_roster_id_conflict',
                                number=line.id_number, name=name)))
                    continue
            good.append(line)
        return good


def insert_rows(table, columns, rows):
    """Insert the rows (lists of values of the columns, by name) into the
    table the fastest way the backend has: COPY on PostgreSQL (a big
    multi-row INSERT is parsed anew each time), a few multi-row INSERTs
    elsewhere. Only the roster writer below uses it, for rows that hold the
    values the ORM would store (test_roster_bulk_writes_as_orm)"""
    cursor = Transaction().connection.cursor()
    if backend.name == 'postgresql':
        from psycopg import sql
        query = sql.SQL('COPY {} ({}) FROM STDIN').format(
            sql.Identifier(table._name),
            sql.SQL(', ').join(map(sql.Identifier, columns)))
        with cursor.copy(query) as copy:
            for row in rows:
                copy.write_row(row)
        return
    for sub in grouped_slice(rows, backend.MAX_QUERY_PARAMS // len(columns)):
        cursor.execute(*table.insert(
                [Column(table, c) for c in columns], list(sub)))


class _RosterWriter:
    """Writes clean roster lines in batches, touching only what changed.

    Lookups read plain values (search_read or SQL) rather than records: a
    batch of records costs as much again for every relation read on it.
    They are unordered: the default order of units joins their projects'
    translated names, and PostgreSQL then scans all units for each batch.

    New owners with their contacts and identifiers, new units and new
    ownerships are inserted with SQL, holding the values the ORM would store:
    through the ORM they cost some 5 ms a row, mostly validating each record
    against domains the import satisfies by construction. The checks that
    can fail still run. Updates of existing records go through the ORM, and
    so does everything when an access rule or a trigger must see the new
    records."""

    def __init__(self, record, today):
        pool = Pool()
        self.record = record
        self.today = today
        self.Building = pool.get('service_center.building')
        self.Unit = pool.get('service_center.unit')
        self.Ownership = pool.get('service_center.ownership')
        self.Party = pool.get('party.party')
        self.PartyLang = self.Party.multivalue_model('lang')
        self.Identifier = pool.get('party.identifier')
        self.ContactMechanism = pool.get('party.contact_mechanism')
        self.bulk = self._bulk_allowed()
        # The units of the projects read so far, by unit key
        self.units, self.projects_read = {}, []
        self._queries = {}
        self._timestamp = None

    def _bulk_allowed(self):
        "Whether no access rule or trigger is set on the creation of records"
        pool = Pool()
        Rule = pool.get('ir.rule')
        Trigger = pool.get('ir.trigger')
        for Model in [
                self.Party, self.PartyLang, self.ContactMechanism,
                self.Identifier, self.Unit, self.Ownership]:
            if Rule.domain_get(Model.__name__, mode='create'):
                return False
            with without_check_access():
                if Trigger.get_triggers(Model.__name__, 'create'):
                    return False
        return True

    def write(self, lines):
        buildings = self._buildings(lines)
        units = self._units(lines, buildings)
        parties = self._parties(lines)
        self._ownerships(lines, units, parties)

    def _insert(self, Model, vlist, written=None):
        """Insert the values (dicts by field name) in the table of Model as
        its create does, without validation; return the new ids in order.
        The rows whose written is true are also marked written, as the ORM
        does when compute_fields changes a record just created."""
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        ModelFieldAccess = pool.get('ir.model.field.access')
        ModelAccess.check(Model.__name__, 'create')
        ModelFieldAccess.check(
            Model.__name__, list(set().union(*vlist)), 'write')
        transaction = Transaction()
        database, connection = transaction.database, transaction.connection
        cursor = connection.cursor()
        user, now = transaction.user, self._now()
        if written is None:
            written = [False] * len(vlist)
        ids = []
        # Rows of the same columns go together, in their order
        for names, run in itertools.groupby(
                zip(vlist, written), key=lambda v: tuple(sorted(v[0]))):
            formats = [Model._fields[n].sql_format for n in names]
            rows = [[f(values[n]) for n, f in zip(names, formats)]
                + [user, now] + ([user, now] if written_ else [None, None])
                for values, written_ in run]
            columns = names + (
                'create_uid', 'create_date', 'write_uid', 'write_date')
            if backend.name == 'postgresql':
                # The ids from the sequence as the ORM takes them
                new_ids = database.nextid(
                    connection, Model._table, count=len(rows))
                if isinstance(new_ids, int):
                    new_ids = [new_ids]
                insert_rows(Model.__table__(), columns + ('id',), [
                        r + [i] for r, i in zip(rows, new_ids)])
                ids.extend(new_ids)
                continue
            for sub in grouped_slice(
                    rows, backend.MAX_QUERY_PARAMS // len(columns)):
                sub = list(sub)
                cursor.execute(
                    self._insert_query(Model, columns, len(sub)),
                    [v for r in sub for v in r])
                # SQLite numbers the rows of one statement one after the
                # other, in the order of VALUES
                last = database.lastid(cursor)
                ids.extend(range(last - len(sub) + 1, last + 1))
        Model._insert_history(ids)
        # Records read before in the transaction are read again, as after
        # any creation
        transaction.counter += 1
        transaction.create_records[Model.__name__].extend(ids)
        external = bool(transaction.user and transaction.check_access)
        # Small lists: each record checks the whole list it comes in
        for sub in grouped_slice(ids, 10):
            records = Model.browse(sub)
            Model.check_modification('create', records, external=external)
            Model.on_modification('create', records)
        return ids

    def _insert_query(self, Model, columns, count):
        "The SQL that inserts count rows of the columns"
        key = (Model.__name__, columns, count)
        if key not in self._queries:
            table = Model.__table__()
            query, _ = tuple(table.insert(
                    [Column(table, c) for c in columns],
                    [[None] * len(columns)] * count))
            self._queries[key] = query
        return self._queries[key]

    def _now(self):
        """The value CURRENT_TIMESTAMP, with which the ORM fills create_date
        and write_date, stores in this transaction"""
        if self._timestamp is None:
            now = CurrentTimestamp()
            if backend.name == 'postgresql':
                # As a timestamp column stores it; SQLite stores the text
                now = Cast(now, 'TIMESTAMP')
            cursor = Transaction().connection.cursor()
            cursor.execute(*Select([now]))
            self._timestamp, = cursor.fetchone()
        return self._timestamp

    def _buildings(self, lines):
        "Return the building id of each (project id, building number)"
        keys = {(line.project.id, line.building) for line in lines}
        buildings = {}
        for project_id in {k[0] for k in keys}:
            for row in self.Building.search_read([
                        ('project', '=', project_id),
                        ('name', 'in', [k[1] for k in keys
                                if k[0] == project_id]),
                        ], order=[], fields_names=['name']):
                buildings[(project_id, row['name'])] = row['id']
        missing = sorted(keys - set(buildings))
        if missing:
            created = self.Building.create([
                    {'project': p, 'name': n} for p, n in missing])
            buildings.update(zip(missing, map(int, created)))
        return buildings

    def _units(self, lines, buildings):
        "Return the unit id of each unit key, creating or updating units"
        names = ['building', 'entrance', 'floor', 'room', 'area',
            'handover_date']
        existing = self.units
        for project_id in {line.project.id for line in lines} - set(
                self.projects_read):
            # All units of a project at once: a lookup per batch slows down
            # as the import adds units, PostgreSQL keeping the plan it made
            # for a few. Read by batch: reading n records costs n * n.
            cursor = Transaction().connection.cursor()
            cursor.execute(*self.Unit.search([
                        ('project', '=', project_id),
                        ], order=[], query=True))
            for sub in grouped_slice([i for i, in cursor], BATCH):
                for row in self.Unit.read(list(sub), ['code'] + names):
                    existing[(project_id, row['code'])] = row
            self.projects_read.append(project_id)
        to_create, to_write = {}, []
        for line in lines:
            values = {
                'building': buildings[(line.project.id, line.building)],
                'entrance': line.entrance,
                'floor': line.floor,
                'room': line.room,
                'area': line.area,
                'handover_date': line.handover_date,
                }
            row = existing.get(line.unit_key)
            if row is None:
                to_create.setdefault(line.unit_key, dict(
                        values, project=line.project.id, code=line.code))
                continue
            changes = {k: v for k, v in values.items()
                if v is not None and row[k] != v}
            if changes:
                to_write.extend(([self.Unit(row['id'])], changes))
                row.update(changes)
        if to_create:
            # The building is the project's by construction: its domain holds
            if self.bulk:
                created = self._insert(self.Unit, list(to_create.values()))
            else:
                created = self.Unit.create(list(to_create.values()))
            for (key, values), unit in zip(to_create.items(), created):
                existing[key] = dict(values, id=int(unit))
            self.record.units_created += len(created)
        if to_write:
            self.Unit.write(*to_write)
            self.record.units_updated += len(to_write) // 2
        return {line.unit_key: existing[line.unit_key]['id']
            for line in lines}

    def _parties(self, lines):
        "Return the party id of each owner key, created when unknown"
        parties = {}
        numbers = sorted({line.id_number for line in lines if line.id_number})
        if numbers:
            for row in self.Identifier.search_read([
                        ('code', 'in', numbers),
                        ], order=[], fields_names=['code', 'party']):
                parties[('id', row['code'].upper())] = row['party']
        by_phone = self._parties_by_phone(
            sorted({p for line in lines if not line.id_number
                    for p in line.phones}))
        to_create = {}
        for line in lines:
            key = line.owner_key
            if key in to_create:
                to_create[key].append(line)
                continue
            if key in parties:
                continue
            for phone in ([] if line.id_number else line.phones):
                if (line.owner_name, phone) in by_phone:
                    parties[key] = by_phone[(line.owner_name, phone)]
                    break
            else:
                to_create[key] = [line]
        known = set(parties.values())
        if to_create:
            created = self._create_parties(list(to_create.values()))
            parties.update(zip(to_create, created))
            self.record.owners_created += len(created)
        self._add_contacts(lines, parties, known)
        return parties

    def _parties_by_phone(self, phones):
        "Return the party id of each (name, phone) known"
        # The ORM compares COALESCE(value_compact, ''), which no index serves
        mechanism = self.ContactMechanism.__table__()
        party = self.Party.__table__()
        cursor = Transaction().connection.cursor()
        by_phone = {}
        for sub in grouped_slice(phones, MAX_IDS):
            cursor.execute(*mechanism.join(
                    party, condition=mechanism.party == party.id).select(
                    party.name, mechanism.value_compact, party.id,
                    where=mechanism.value_compact.in_(list(sub))
                    & mechanism.type.in_(PHONE_TYPES)
                    & (mechanism.active == Literal(True))))
            for name, phone, party_id in cursor:
                key = (name, phone)
                by_phone[key] = min(by_phone.get(key, party_id), party_id)
        return by_phone

    @staticmethod
    def _contacts(lines):
        "The phones and e-mails of the lines of one owner, each once"
        contacts = {}
        for line in lines:
            for values in line.phone_values:
                contacts.setdefault(values['value_compact'], values)
            if line.email:
                contacts.setdefault(
                    line.email, {'type': 'email', 'value': line.email})
        return list(contacts.values())

    def _create_parties(self, owners):
        "Create the owner of each list of lines and return the party ids"
        sequence = self.Party._code_sequence()
        codes = list(sequence.get_many(len(owners))) if sequence else []
        if not (self.bulk and codes):
            vlist = [self._party_values(lines) for lines in owners]
            for values, code in zip(vlist, codes):
                values['code'] = code
            return list(map(int, self.Party.create(vlist)))
        transaction = Transaction()
        # The values compute_fields gives are written with the others, the
        # records it changes marked written
        vlist, written = [], []
        for lines, code in zip(owners, codes):
            values = {
                'name': lines[0].owner_name,
                'code': code,
                'active': self.Party.default_active(),
                }
            computed = self.Party(**values).compute_fields()
            values.update(computed)
            vlist.append(values)
            written.append(bool(computed))
        ids = self._insert(self.Party, vlist, written)
        # The default language, set through the multi-value field
        lang = {'lang': self.Party.default_lang()}
        if 'company' in self.PartyLang._fields:
            lang['company'] = transaction.context.get('company')
        self._insert(self.PartyLang, [dict(lang, party=i) for i in ids])
        mechanisms, emails, identifiers = [], [], []
        written = []
        for lines, party in zip(owners, ids):
            for values in self._contacts(lines):
                values = dict(values, party=party,
                    active=self.ContactMechanism.default_active())
                computed = {}
                if values['type'] == 'email':
                    # Phones come as the party module computes them
                    emails.append((len(mechanisms), dict(values)))
                    computed = self.ContactMechanism(
                        **values).compute_fields()
                mechanisms.append(dict(values, **computed))
                written.append(bool(computed))
            if lines[0].id_number:
                identifiers.append(self.Identifier.preprocess_values(
                        'create', {
                            'party': party,
                            'code': lines[0].id_number,
                            'active': self.Identifier.default_active(),
                            }))
        mechanism_ids = self._insert(
            self.ContactMechanism, mechanisms, written)
        # Phones are valid by construction; e-mails are checked as the
        # party module checks them
        self.ContactMechanism.check_valid_email([
                self.ContactMechanism(mechanism_ids[index], **values)
                for index, values in emails])
        self._insert(self.Identifier, identifiers)
        return ids

    def _party_values(self, lines):
        values = {
            'name': lines[0].owner_name,
            'contact_mechanisms': [('create', [
                        dict(v) for v in self._contacts(lines)])],
            }
        if lines[0].id_number:
            values['identifiers'] = [
                ('create', [{'code': lines[0].id_number}])]
        return values

    def _add_contacts(self, lines, parties, known_parties):
        "Add the phones and e-mails a known owner does not have yet"
        known = set()
        for sub in grouped_slice(sorted(known_parties), MAX_IDS):
            for row in self.ContactMechanism.search_read([
                        ('party', 'in', list(sub)),
                        ], order=[], fields_names=['party', 'value_compact']):
                known.add((row['party'], row['value_compact']))
        to_create = []
        for line in lines:
            party = parties[line.owner_key]
            if party not in known_parties:
                continue
            values = list(line.phone_values)
            if line.email:
                values.append({'type': 'email', 'value': line.email})
            for value in values:
                key = (party, value.get('value_compact', value['value']))
                if key not in known:
                    known.add(key)
                    to_create.append(dict(value, party=party))
        if to_create:
            self.ContactMechanism.create(to_create)

    def _ownerships(self, lines, units, parties):
        "End the ownership of a unit that changed owner, start the new one"
        current = {}
        for sub in grouped_slice(
                sorted({units[line.unit_key] for line in lines}), MAX_IDS):
            for row in self.Ownership.search_read([
                        ('unit', 'in', list(sub)),
                        self.Unit._current_ownership_domain(self.today),
                        ], order=[], fields_names=['unit', 'party']):
                current.setdefault(row['unit'], []).append(row)
        to_end, to_create, done = [], [], set()
        for line in lines:
            unit = units[line.unit_key]
            party = parties[line.owner_key]
            if unit in done:
                continue
            done.add(unit)
            owners = current.get(unit, [])
            if any(o['party'] == party for o in owners):
                continue
            to_end.extend(self.Ownership(o['id']) for o in owners)
            start = self.today if owners else (
                line.handover_date or self.today)
            to_create.append({
                    'unit': unit, 'party': party, 'role': 'owner',
                    'start_date': min(start, self.today)})
        if to_end:
            self.Ownership.write(to_end, {
                    'end_date': self.today - dt.timedelta(days=1)})
            self.record.ownerships_ended += len(to_end)
        if to_create:
            if self.bulk:
                # The dates and the share satisfy their domains by
                # construction; an overlap is checked as the ORM does
                ids = self._insert(self.Ownership, to_create)
                self.Ownership.check_overlap(
                    [self.Ownership(i) for i in ids])
            else:
                self.Ownership.create(to_create)
            self.record.ownerships_started += len(to_create)


class RosterImportError(ReadRulesMixin, ModelSQL, ModelView):
    __string__ = "Roster Import Error"
    __name__ = 'service_center.roster_import.error'
    roster_import = fields.Many2One(
        'service_center.roster_import', "Import", required=True,
        ondelete='CASCADE')
    sheet = fields.Char("Sheet", readonly=True)
    row = fields.Integer("Row", readonly=True)
    message = fields.Char("Message", readonly=True)
    values = fields.Text("Values", readonly=True)
    reason = fields.Function(fields.Char("Reason"), 'get_reason')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('roster_import')
        cls._order = [
            ('roster_import', 'DESC'), ('sheet', 'ASC'), ('row', 'ASC'),
            ('id', 'ASC')]

    def get_reason(self, name):
        "The reason in the reader's language"
        values = json.loads(self.values or '{}')
        if 'column' in values:
            values['column'] = gettext(
                'property_register.msg_column_%s' % values['column'])
        return gettext(self.message, **values)


class RosterImportStart(ModelView):
    __string__ = "Import Owner Roster"
    __name__ = 'service_center.roster_import.start'
    file = fields.Binary(
        "File", required=True, filename='filename',
        help="An .xls, .xlsx or .csv roster from the sales system.")
    filename = fields.Char("File Name")


class RosterImportWizard(Wizard):
    "Import Owner Roster"
    __name__ = 'service_center.roster_import.wizard'
    start = StateView(
        'service_center.roster_import.start',
        'property_register.roster_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-import', default=True),
            ])
    import_ = StateAction('property_register.act_roster_import_form')

    def do_import_(self, action):
        RosterImport = Pool().get('service_center.roster_import')
        record = RosterImport.import_file(
            self.start.filename or '', self.start.file)
        action['pyson_domain'] = PYSONEncoder().encode(
            [('id', '=', record.id)])
        action['views'].reverse()
        return action, {'res_id': [record.id]}
