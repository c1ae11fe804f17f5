# This file is part of the coastal customer service project.
import datetime as dt
import importlib.util
import io
import shutil
import tempfile
from pathlib import Path
from unittest.mock import patch

from trytond import backend
from trytond.i18n import gettext
from trytond.model.exceptions import ValidationError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from ..exceptions import InvalidPhoneNumber, RosterError
from ..phone import format_phone
from ..roster import _RosterWriter
from ..text import clean
from .tools import SaoListsMixin

DATA = Path(__file__).resolve().parents[3] / 'data'
# The tables a roster import writes new rows in, referenced before referring
ROSTER_MODELS = [
    'service_center.building', 'service_center.unit', 'party.party',
    'party.party.lang', 'party.contact_mechanism', 'party.identifier',
    'service_center.ownership']


def load_rosters():
    spec = importlib.util.spec_from_file_location(
        'rosters', DATA / 'rosters.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class PropertyRegisterTestCase(
        SaoListsMixin, test_tryton.ModuleTestCase):
    "Test Property Register module"
    module = 'property_register'

    def test_format_phone(self):
        "Phone numbers in every usual format give the same E.164"
        for value in [
                '138 0013 8000', '+86-13800138000', '8613800138000',
                '13800138000', '+86 (138) 0013-8000']:
            with self.subTest(value=value):
                self.assertEqual(format_phone(value), '+8613800138000')
        self.assertEqual(format_phone('010 6847 2790'), '+861068472790')
        self.assertEqual(format_phone('0411-8914 9732'), '+8641189149732')
        for value in ['12345', '', None, 'abc', '1' * 100, 13800138000]:
            with self.subTest(value=value):
                self.assertIsNone(format_phone(value))

    def test_clean(self):
        """Control, format and surrogate characters are removed, line
        breaks made "\\n", the text NFC-normalised; the rest is kept"""
        for value, expected in [
                ('\u202eZhang San', 'Zhang San'),
                ('Zhang\u200b\u200c\u200d San', 'Zhang San'),
                ('Zhang\u0000 San\u0007\u001b\u007f\u0085', 'Zhang San'),
                ('\ufeffLi\u00ad Si\u2060', 'Li Si'),
                ('\u2066Li\u2069 \u2067Si\u2068\u200e\u200f\u061c',
                    'Li Si'),
                ('\u202a\u202b\u202c\u202d\u202eWang', 'Wang'),
                ('Wang\ud800 Wu\udfff', 'Wang Wu'),
                ('Jose\u0301', 'Jos\u00e9'),
                ('a\r\nb\rc\nd\te', 'a\nb\nc\nd\te'),
                ('海韵花园 1-101 😀', '海韵花园 1-101 😀'),
                ('Plain text.', 'Plain text.'),
                ('', ''),
                (None, None),
                (42, 42),
                ]:
            with self.subTest(value=value):
                self.assertEqual(clean(value), expected)

    @with_transaction()
    def test_party_text_cleaned(self):
        """What the desk types in a party, its addresses and its contact
        mechanisms is stored without invisible characters"""
        pool = Pool()
        Party = pool.get('party.party')
        Address = pool.get('party.address')
        ContactMechanism = pool.get('party.contact_mechanism')
        party, = Party.create([{
                    'name': '\u202eZhang\u200b San\u0000',
                    'addresses': [('create', [{
                                    'street': 'Seaside\u200b Road 1\r\n'
                                    'Building\u202e 2',
                                    'city': '\u2066Dalian\u2069',
                                    }])],
                    'contact_mechanisms': [('create', [{
                                    'type': 'email',
                                    'value': 'zhang\u200d@example.com',
                                    }, {
                                    'type': 'mobile',
                                    'value': '139\u200b1234\u202e5670',
                                    'comment': 'Evenings\u0000 only',
                                    }])],
                    }])
        address, = party.addresses
        email, mobile = party.contact_mechanisms
        self.assertEqual(party.name, "Zhang San")
        self.assertEqual(
            (address.street, address.city),
            ("Seaside Road 1\nBuilding 2", "Dalian"))
        self.assertEqual(
            (email.value, mobile.value, mobile.value_compact,
                mobile.comment),
            ('zhang@example.com', '+86 139 1234 5670', '+8613912345670',
                "Evenings only"))
        self.assertEqual(
            Party.search_by_phone('13912345670')[1], [party])

        Party.write([party], {'name': '\ufeffLi\u00ad Si\u2060'})
        Address.write([address], {'postal_code': '116\u200b000'})
        ContactMechanism.write([email], {'value': 'li\u2060@example.com'})
        self.assertEqual(
            (party.name, address.postal_code, email.value),
            ("Li Si", '116000', 'li@example.com'))
        party.name = 'Jose\u0301 \u202bWang\u202c'
        party.save()
        self.assertEqual(party.name, "Jos\u00e9 Wang")

    def _project(self):
        pool = Pool()
        Region = pool.get('service_center.region')
        Project = pool.get('service_center.project')
        Building = pool.get('service_center.building')
        company = create_company()
        region, = Region.create([{
                    'name': "Dalian", 'code': 'DL', 'company': company.id}])
        project, = Project.create([{
                    'name': "Seaside Garden", 'code': 'HYHY',
                    'region': region.id}])
        building, = Building.create([{'project': project.id, 'name': '1'}])
        return company, project, building

    @with_transaction()
    def test_warranty_state_boundaries(self):
        "A part is covered up to the day before its anniversary"
        pool = Pool()
        Unit = pool.get('service_center.unit')
        WarrantyType = pool.get('service_center.warranty_type')
        company, project, building = self._project()
        with set_company(company):
            unit, = Unit.create([{
                        'project': project.id, 'building': building.id,
                        'room': '101', 'code': '1-101',
                        'handover_date': dt.date(2024, 2, 29)}])
            pipes, = WarrantyType.search([('code', '=', 'pipes')])
            self.assertEqual(
                unit.warranty_state(pipes, dt.date(2024, 2, 28)),
                'not_handed_over')
            self.assertEqual(
                unit.warranty_state(pipes, dt.date(2024, 2, 29)),
                'under_warranty')
            self.assertEqual(unit.warranty_end(pipes), dt.date(2026, 2, 27))
            self.assertEqual(
                unit.warranty_state(pipes, dt.date(2026, 2, 27)),
                'under_warranty')
            self.assertEqual(
                unit.warranty_state(pipes, dt.date(2026, 2, 28)),
                'expired')
            unit.handover_date = None
            self.assertEqual(
                unit.warranty_state(pipes, dt.date(2030, 1, 1)),
                'not_handed_over')

    @with_transaction()
    def test_ownership_overlap(self):
        "The same owner cannot hold the same unit twice over one period"
        pool = Pool()
        Unit = pool.get('service_center.unit')
        Ownership = pool.get('service_center.ownership')
        Party = pool.get('party.party')
        company, project, building = self._project()
        unit, = Unit.create([{
                    'project': project.id, 'building': building.id,
                    'room': '101', 'code': '1-101'}])
        party, = Party.create([{'name': "Wang"}])
        Ownership.create([{
                    'unit': unit.id, 'party': party.id,
                    'start_date': dt.date(2020, 1, 1),
                    'end_date': dt.date(2022, 12, 31)}])
        Ownership.create([{
                    'unit': unit.id, 'party': party.id,
                    'start_date': dt.date(2023, 1, 1)}])
        with self.assertRaises(ValidationError):
            Ownership.create([{
                        'unit': unit.id, 'party': party.id,
                        'start_date': dt.date(2022, 6, 1),
                        'end_date': dt.date(2022, 12, 31)}])

    @with_transaction()
    def test_search_by_phone_invalid(self):
        "A caller number that is not a phone number is a clear error"
        Party = Pool().get('party.party')
        for value in ['12345', '', 'call me']:
            with self.subTest(value=value):
                with self.assertRaises(InvalidPhoneNumber):
                    Party.search_by_phone(value)

    @with_transaction()
    def test_roster_formats(self):
        "The .xls, .xlsx and .csv of one roster import the same way"
        pool = Pool()
        RosterImport = pool.get('service_center.roster_import')
        Project = pool.get('service_center.project')
        rosters = load_rosters()
        company, project, _ = self._project()
        Project.create([{
                    'name': "Star Bay", 'code': 'XHW',
                    'region': project.region.id}])
        rows = rosters.error_rows()
        results = {}
        with set_company(company):
            for suffix, write in [
                    ('.xls', rosters.write_xls),
                    ('.xlsx', rosters.write_xlsx),
                    ('.csv', rosters.write_csv)]:
                path = Path(self.tmp_dir()) / ('roster' + suffix)
                write(path, rows)
                record = RosterImport.import_file(
                    path.name, path.read_bytes())
                results[suffix] = (
                    record.rows, record.imported, record.failed,
                    [(e.row, e.message) for e in record.errors])
        self.assertEqual(results['.xls'], results['.xlsx'])
        self.assertEqual(results['.xls'], results['.csv'])
        self.assertEqual(results['.xls'][:3], (14, 6, 8))

    @with_transaction()
    def test_roster_not_a_roster(self):
        "A file without the roster columns is refused as a whole"
        RosterImport = Pool().get('service_center.roster_import')
        with self.assertRaises(RosterError):
            RosterImport.import_file('notes.csv', 'a,b\n1,2\n'.encode())
        with self.assertRaises(RosterError):
            RosterImport.import_file('broken.xlsx', b'PK\x03\x04garbage')

    @with_transaction()
    def test_roster_gbk_csv(self):
        "Older offices send .csv files in GBK"
        pool = Pool()
        RosterImport = pool.get('service_center.roster_import')
        rosters = load_rosters()
        company, project, _ = self._project()
        buffer = io.StringIO()
        buffer.write(','.join(rosters.HEADER) + '\n')
        buffer.write(
            'HYHY,1,1,1,101,88.5,2022-06-30,王芳,,13912345678,\n')
        with set_company(company):
            record = RosterImport.import_file(
                'gbk.csv', buffer.getvalue().encode('gbk'))
        self.assertEqual((record.imported, record.failed), (1, 0))
        owner, = project.buildings[0].units[0].owners
        self.assertEqual(owner.name, '王芳')

    @with_transaction()
    def test_chinese_labels(self):
        "Loading Chinese shows our labels and the corrected core ones"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Unit = pool.get('service_center.unit')
        Mechanism = pool.get('party.contact_mechanism')
        zh, = Lang.search([('code', '=', 'zh_CN')])
        Lang.load_translations([zh])
        with Transaction().set_context(language='zh_CN'):
            fields = Unit.fields_get(['code', 'handover_date'])
            self.assertEqual(fields['handover_date']['string'], '交房日期')
            types = dict(
                Mechanism.fields_get(['type'])['type']['selection'])
            self.assertEqual(types['mobile'], '手机')
            self.assertEqual(types['phone'], '电话')
            self.assertEqual(
                gettext('property_register.msg_invalid_phone', phone='1'),
                '"1"不是有效的电话号码。')

    def tmp_dir(self):
        path = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, path)
        return path

    def _roster_rows(self):
        "Rows of every kind of owner: two units, landline, e-mail, no ID"
        rows = list(load_rosters().rows(count=60, seed=7))
        no_id = ['HYHY', '3', '2', 1, '101', 75, dt.date(2023, 12, 28),
            '无证业主', '', '0411-8914 9732 / 139 1234 5678',
            'No.ID@Example.com']
        rows.append(no_id)
        rows.append(no_id[:4] + ['102'] + no_id[5:])
        return rows

    def _import_rows(self, rows):
        RosterImport = Pool().get('service_center.roster_import')
        path = Path(self.tmp_dir()) / 'roster.csv'
        load_rosters().write_csv(path, rows)
        return RosterImport.import_file(path.name, path.read_bytes())

    def _roster_tables(self):
        """The rows of the tables an import writes, by model, with the ids
        they refer to replaced by what they are: stable across imports"""
        pool = Pool()
        cursor = Transaction().connection.cursor()
        # The time of the transaction, as the ORM stored it
        imports = pool.get('service_center.roster_import').__table__()
        cursor.execute(*imports.select(
                imports.create_date, order_by=[imports.id.desc], limit=1))
        now, = cursor.fetchone()
        tables, ranks = {}, {}
        for name in ROSTER_MODELS:
            table = pool.get(name).__table__()
            cursor.execute(*table.select(order_by=[table.id]))
            columns = [d[0] for d in cursor.description]
            tables[name] = [dict(zip(columns, r)) for r in cursor]
            ranks[name] = {r['id']: i for i, r in enumerate(tables[name])}
        for name, rows in tables.items():
            Model = pool.get(name)
            for row in rows:
                del row['id']
                for column in ['create_date', 'write_date']:
                    if row[column] == now:
                        row[column] = 'now'
                for column, value in row.items():
                    field = Model._fields.get(column)
                    if value is None or field._type != 'many2one':
                        continue
                    if field.model_name in ranks:
                        row[column] = ranks[field.model_name][value]
                    else:
                        row[column] = pool.get(
                            field.model_name)(value).rec_name
        return tables

    def _table_counts(self):
        "The number of rows of every table"
        pool = Pool()
        cursor = Transaction().connection.cursor()
        counts = {}
        for _, Model in pool.iterobject():
            table = getattr(Model, '_table', None)
            if table and backend.TableHandler.table_exist(table):
                cursor.execute('SELECT COUNT(*) FROM "%s"' % table)
                counts[table] = cursor.fetchone()[0]
        return counts

    @with_transaction()
    def test_roster_bulk_writes_as_orm(self):
        "The bulk insert of a roster writes what the ORM writes, row by row"
        pool = Pool()
        Party = pool.get('party.party')
        Sequence = pool.get('ir.sequence')
        transaction = Transaction()
        rows = self._roster_rows()
        number_next = Party._code_sequence().number_next

        def import_(bulk):
            # Sequences and ids of PostgreSQL are not rolled back
            sequence = Party._code_sequence()
            Sequence.write([Sequence(sequence.id)], {
                    'number_next': number_next})
            company, _, _ = self._project()
            insert = _RosterWriter._insert
            with set_company(company), \
                    patch.object(_RosterWriter, '_bulk_allowed',
                        return_value=bulk), \
                    patch.object(_RosterWriter, '_insert', autospec=True,
                        side_effect=insert) as spy:
                before = self._table_counts()
                record = self._import_rows(rows)
                after = self._table_counts()
            self.assertEqual(spy.called, bulk)
            result = (
                record.owners_created, record.units_created,
                record.ownerships_started, self._roster_tables(),
                {t: after[t] - before[t] for t in after})
            transaction.rollback()
            return result

        orm = import_(False)
        bulk = import_(True)
        self.assertEqual(orm[:3], (58, 62, 62))
        for name in ROSTER_MODELS:
            with self.subTest(model=name):
                self.assertEqual(bulk[3][name], orm[3][name])
        self.assertEqual(bulk[4], orm[4])


    @with_transaction()
    def test_roster_owners_read_back(self):
        "Imported owners read back through the ORM, a re-import changes none"
        pool = Pool()
        Party = pool.get('party.party')
        Unit = pool.get('service_center.unit')
        company, project, building = self._project()
        rows = self._roster_rows()
        with set_company(company):
            # Read before the import, the building must see its new units
            self.assertEqual(building.units, ())
            record = self._import_rows(rows)
            self.assertEqual(
                (record.imported, record.failed, record.owners_created),
                (62, 0, 58))
            self.assertEqual(len(building.units), 40)

            owner, = Party.search([('name', '=', '无证业主')])
            self.assertTrue(owner.code)
            self.assertEqual(owner.identifiers, ())
            self.assertEqual(
                [(m.type, m.value, m.value_compact)
                    for m in owner.contact_mechanisms],
                [('phone', '+86 411 8914 9732', '+8641189149732'),
                    ('mobile', '+86 139 1234 5678', '+8613912345678'),
                    ('email', 'no.id@example.com', 'no.id@example.com')])
            self.assertEqual(
                sorted(u.code for u in owner.units), ['3-2-101', '3-2-102'])
            for number in ['0411 89149732', '+86 139-1234-5678']:
                with self.subTest(number=number):
                    _, parties = Party.search_by_phone(number)
                    self.assertEqual(parties, [owner])

            for row in rows[:60]:
                unit, = Unit.search([
                        ('project', '=', project.id),
                        ('code', '=', '-'.join(map(str, [
                                        row[1], row[2], row[4]]))),
                        ])
                owner, = unit.owners
                self.assertEqual(owner.name, row[7])
                self.assertEqual(
                    [i.code for i in owner.identifiers], [row[8]])
                phones = [m.value_compact for m in owner.contact_mechanisms
                    if m.type in {'phone', 'mobile'}]
                self.assertEqual(
                    phones, [format_phone(p) for p in row[9].split(' / ')])
                if row[10]:
                    # An owner of two units has the e-mails of both rows
                    self.assertIn(row[10], [m.value
                            for m in owner.contact_mechanisms
                            if m.type == 'email'])
                _, parties = Party.search_by_phone(row[9].split(' / ')[0])
                self.assertIn(owner, parties)
                self.assertEqual(owner.code_digit, int(owner.code))

            tables = self._roster_tables()
            again = self._import_rows(rows)
            self.assertEqual(
                (again.imported, again.units_created, again.units_updated,
                    again.owners_created, again.ownerships_started,
                    again.ownerships_ended), (62, 0, 0, 0, 0, 0))
            self.assertEqual(self._roster_tables(), tables)
