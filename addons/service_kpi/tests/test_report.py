# This file is part of the coastal customer service project.
from service_center.tests.test_report import pdf_facts
from service_center.tests.test_request import RequestFixtures

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from . import test_kpi
from .test_kpi import LATER, OCTOBER, clock


class ReportTestCase(RequestFixtures, test_tryton._DBTestCase):
    "Test the printed monthly report"
    module = 'service_kpi'

    _month = test_kpi.KPITestCase._month

    @with_transaction()
    def test_monthly_centre_report(self):
        "The month's report shows the centre's figures and the requests "
        "that need attention"
        pool = Pool()
        KPI = pool.get('service_center.kpi.center')
        Lang = pool.get('ir.lang')
        Report = pool.get('service_center.kpi.center.print', type='report')
        company = create_company()
        with set_company(company):
            answered, complained, waiting, hotline = self._month(company)
            with clock(LATER), Transaction().set_context(OCTOBER):
                row, = KPI.search([])
                extension, content, _, _ = Report.execute([row.id], {})
            self.assertEqual(extension, 'pdf')
            text, _ = pdf_facts(content)
            lang = Lang.get()
            for expected in ["Monthly Centre Report", "Centre",
                    lang.strftime(OCTOBER['from_date']),
                    lang.strftime(OCTOBER['to_date']),
                    # The reopened complaint and the hotline request
                    complained.number, complained.party.rec_name,
                    hotline.number, hotline.party.rec_name,
                    "50.0%", "Omission Rate", "Total Cost"]:
                with self.subTest(expected=expected):
                    self.assertIn(expected, text)
            # Accepted at the call-back, answered at once: no attention
            self.assertNotIn(answered.number, text)
            self.assertNotIn(waiting.number + ' ', text)
