# This file is part of the coastal customer service project.
import datetime as dt
import importlib.util
import io
import shutil
import tempfile
from pathlib import Path

from trytond.i18n import gettext
from trytond.model.exceptions import ValidationError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from ..exceptions import InvalidPhoneNumber, RosterError
from ..phone import format_phone

DATA = Path(__file__).resolve().parents[3] / 'data'


def load_rosters():
    spec = importlib.util.spec_from_file_location(
        'rosters', DATA / 'rosters.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class ServiceCenterTestCase(test_tryton.ModuleTestCase):
    "Test Service Center module"
    module = 'service_center'

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
                gettext('service_center.msg_invalid_phone', phone='1'),
                '"1"不是有效的电话号码。')

    def tmp_dir(self):
        path = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, path)
        return path

