# This file is part of the coastal customer service project.
"What the tests of the modules built on the register share"
from unittest import mock

from lxml import etree

from property_register import clock
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction


class SaoListsMixin:
    "The lists of the test case's module, as sao 8.0 draws them"

    @with_transaction()
    def test_list_columns_sao_can_draw(self):
        "Every column of our lists has a widget sao's list knows"
        pool = Pool()
        View = pool.get('ir.ui.view')
        # sao's list has no column for these types (../shared/STACK.md)
        undrawable = {'datetime', 'timestamp'}
        for view in View.search([
                    ('module', '=', self.module),
                    ('model', '!=', None),
                    ]):
            if view.real_type != 'tree':
                continue
            Model = pool.get(view.model)
            result = Model.fields_view_get(view_id=view.id)
            arch = etree.fromstring(result['arch'])
            for field in arch.iter('field'):
                name = field.get('name')
                with self.subTest(view=view.rec_name, field=name):
                    self.assertFalse(
                        not field.get('widget')
                        and result['fields'][name]['type'] in undrawable)


def clock_at(moment):
    "Make every module of ours believe it is moment (naive UTC)"
    return mock.patch.object(clock, 'now', lambda: moment)
