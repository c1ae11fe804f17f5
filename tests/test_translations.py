# This file is part of the coastal customer service project.
"Every module speaks Chinese: its zh_CN.po is complete"
from pathlib import Path
from xml.etree import ElementTree

import polib
import pytest

ADDONS = Path(__file__).resolve().parent.parent / 'addons'
MODULES = sorted(p.parent.name for p in ADDONS.glob('*/tryton.cfg'))


@pytest.mark.parametrize('module', MODULES)
def test_complete(module):
    "No entry is empty or fuzzy, and every message of the module is there"
    po = polib.pofile(str(ADDONS / module / 'locale' / 'zh_CN.po'))
    assert not [e.msgid for e in po if not e.msgstr]
    assert not [e.msgid for e in po if 'fuzzy' in e.flags]
    contexts = {e.msgctxt for e in po}
    missing = []
    for path in (ADDONS / module).glob('*.xml'):
        for record in ElementTree.parse(path).iter('record'):
            if record.get('model') == 'ir.message':
                context = 'model:ir.message,text:%s' % record.get('id')
                if context not in contexts:
                    missing.append(record.get('id'))
    assert not missing
