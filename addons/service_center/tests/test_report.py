# This file is part of the coastal customer service project.
"""The printed work order and the monthly centre report: rendered by
LibreOffice to PDF, read back as text"""
import datetime as dt
import os
import struct
import subprocess
import tempfile
import zlib

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import with_transaction

from .test_request import FRIDAY, RequestFixtures, clock


def png(width=60, height=20):
    "A black-on-white stroke, as the signature pad would send"
    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data
            + struct.pack('>I', zlib.crc32(kind + data)))
    rows = b''.join(
        b'\x00' + b''.join(
            b'\x00\x00\x00' if abs(y - height // 2) < 2 else b'\xff\xff\xff'
            for _ in range(width))
        for y in range(height))
    return (b'\x89PNG\r\n\x1a\n'
        + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
        + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))


def pdf_facts(content):
    "Return the text of the PDF and the number of images in it"
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, 'report.pdf')
        with open(path, 'wb') as fp:
            fp.write(content)
        text = subprocess.run(['pdftotext', '-layout', path, '-'],
            capture_output=True, check=True, text=True).stdout
        images = subprocess.run(['pdfimages', '-list', path],
            capture_output=True, check=True, text=True).stdout
    # pdfimages prints two header lines, then one line per image
    return text, len(images.splitlines()) - 2


class ReportTestCase(RequestFixtures, test_tryton._DBTestCase):
    "Test the printed documents"

    @with_transaction()
    def test_work_order(self):
        "The work order prints its owner, problem and, once signed, the "
        "signature"
        pool = Pool()
        Request = pool.get('service_center.request')
        WorkOrder = pool.get('service_center.work_order')
        Report = pool.get('service_center.work_order.print', type='report')
        company = create_company()
        with set_company(company):
            people, units, owners, department = self._register(company)
            with clock(FRIDAY):
                request = self._request(
                    units[0], owners[0], description="Water leaks from the "
                    "bathroom ceiling")
                order, = WorkOrder.create([{
                            'request': request.id,
                            'department': department.id,
                            'responsible': people['eddie'].id}])
                Request.dispatch([request])
                WorkOrder.acknowledge([order])

            extension, content, _, name = Report.execute([order.id], {})
            self.assertEqual(extension, 'pdf')
            text, images = pdf_facts(content)
            for expected in [request.number, "Owner 0", "1-101",
                    "Water leaks from the bathroom ceiling", "Engineering",
                    "Eddie", "Acknowledgement",
                    # 10:00 in Shanghai, not UTC
                    "2026-10-09 10:00", "Owner's Signature"]:
                with self.subTest(expected=expected):
                    self.assertIn(expected, text)
            self.assertEqual(images, 0)

            with clock(FRIDAY + dt.timedelta(hours=3)):
                order.visit_planned_at = FRIDAY + dt.timedelta(hours=2)
                order.save()
                WorkOrder.plan([order])
                order.signed_by = "Wang Fang"
                order.signature = png()
                order.save()
                WorkOrder.do([order])
            extension, content, _, _ = Report.execute([order.id], {})
            text, images = pdf_facts(content)
            self.assertIn("Wang Fang", text)
            self.assertIn("2026-10-09 13:00", text)
            self.assertEqual(images, 1)
