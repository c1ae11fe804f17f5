#!/usr/bin/env python
# This file is part of the coastal customer service project.
"""Refresh a module's locale/zh_CN.po from its models, views and messages,
keeping the translations it already has.

    .venv/bin/python scripts/export_po.py service_center
"""
import os
import sys
import tempfile

os.environ['TRYTOND_DATABASE_URI'] = 'sqlite://'
os.environ['DB_NAME'] = ':memory:'
os.environ.pop('DB_CACHE', None)

import polib  # noqa: E402

from trytond.pool import Pool  # noqa: E402
from trytond.tests.test_tryton import DB_NAME, USER, activate_module  # noqa: E402
from trytond.transaction import Transaction  # noqa: E402

LANG = 'zh_CN'


def export(module):
    path = os.path.join(
        os.path.dirname(__file__), '..', 'addons', module, 'locale',
        LANG + '.po')
    activate_module([module])
    with Transaction().start(DB_NAME, USER, context={'language': 'en'}):
        pool = Pool()
        Lang = pool.get('ir.lang')
        Translation = pool.get('ir.translation')
        Set = pool.get('ir.translation.set', type='wizard')
        Update = pool.get('ir.translation.update', type='wizard')
        lang, = Lang.search([('code', '=', LANG)])
        Lang.write([lang], {'translatable': True})
        session_id, _, _ = Set.create()
        Set(session_id).transition_set_()
        session_id, _, _ = Update.create()
        update = Update(session_id)
        update.start.language = lang
        update.do_update({})
        # do_update fixes the sources in SQL behind the ORM's cache
        Transaction().cache.clear()
        content = Translation.translation_export(LANG, module)
    with tempfile.NamedTemporaryFile(suffix='.po') as tmp:
        tmp.write(content)
        tmp.flush()
        fresh = polib.pofile(tmp.name)
    old = {}
    if os.path.exists(path):
        for entry in polib.pofile(path):
            if entry.msgstr and 'fuzzy' not in entry.flags:
                old[(entry.msgctxt, entry.msgid)] = entry.msgstr
    missing = 0
    for entry in fresh:
        entry.msgstr = old.get((entry.msgctxt, entry.msgid), entry.msgstr)
        missing += not entry.msgstr
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fresh.save(path)
    print(f'{path}: {len(fresh)} entries, {missing} untranslated')


if __name__ == '__main__':
    for name in sys.argv[1:] or ['service_center']:
        export(name)
