# This file is part of the coastal customer service project.
"""The modules form an acyclic graph, each uses only what it depends on, and
the README's module map draws that graph"""
import ast
import configparser
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / 'addons'
MODULES = sorted(p.parent.name for p in ADDONS.glob('*/tryton.cfg'))


def depends(module):
    config = configparser.ConfigParser()
    config.read(ADDONS / module / 'tryton.cfg')
    return set(config.get('tryton', 'depends', fallback='').split())


def closure(module):
    "The module and every module it depends on, ours and Tryton's"
    seen, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            if name in MODULES:
                todo.extend(depends(name))
    return seen


def sources(module):
    return [p for p in (ADDONS / module).rglob('*.py')
        if 'tests' not in p.relative_to(ADDONS / module).parts]


def defined_models():
    "Our models by the module that defines them (not the one extending)"
    owners = {}
    for module in MODULES:
        for path in sources(module):
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.ClassDef) or any(
                        k.arg == 'metaclass' for k in node.keywords):
                    continue
                for item in node.body:
                    if (isinstance(item, ast.Assign)
                            and [getattr(t, 'id', None) for t in item.targets]
                            == ['__name__']
                            and isinstance(item.value, ast.Constant)):
                        owners[item.value.value] = module
    return owners


def xml_ids(module):
    "The ids of the records of the module's XML files"
    return set(re.findall(
            r'<(?:record|menuitem)\b[^>]*\bid="([a-z0-9_]+)"',
            ''.join(p.read_text() for p in (ADDONS / module).glob('*.xml'))))


@pytest.mark.parametrize('module', MODULES)
def test_views_name_existing_records(module):
    "The actions of boards and the views of fields exist where they point"
    allowed = closure(module)
    wrong = []
    for path in (ADDONS / module).glob('view/*.xml'):
        for other, id_ in re.findall(
                r'(?:<action name|view_ids)="([a-z_]+)\.([a-z0-9_]+)"',
                path.read_text()):
            if (other not in MODULES or other not in allowed
                    or id_ not in xml_ids(other)):
                wrong.append((path.name, other, id_))
    assert not wrong


def test_acyclic():
    "Following the dependencies never leads back to the module"
    for module in MODULES:
        for dependency in depends(module) & set(MODULES):
            assert module not in closure(dependency), (module, dependency)


@pytest.mark.parametrize('module', MODULES)
def test_uses_only_its_dependencies(module):
    "Imports, pool look-ups and XML references stay within the module's graph"
    allowed = closure(module)
    owners = defined_models()
    wrong = []
    for path in sources(module):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                top = node.module.split('.')[0]
                if top in MODULES and top not in allowed:
                    wrong.append((path.name, 'import', node.module))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    top = alias.name.split('.')[0]
                    if top in MODULES and top not in allowed:
                        wrong.append((path.name, 'import', alias.name))
            elif (isinstance(node, ast.Call)
                    and getattr(node.func, 'attr', None) == 'get'
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value in owners
                    and owners[node.args[0].value] not in allowed):
                wrong.append((path.name, 'pool', node.args[0].value))
    for path in (ADDONS / module).glob('*.xml'):
        for other in re.findall(
                r'(?:ref|parent|action)="([a-z_]+)\.', path.read_text()):
            if other in MODULES and other not in allowed:
                wrong.append((path.name, 'xml', other))
    assert not wrong


def test_readme_draws_the_graph():
    "The README's module map gives each module its dependencies"
    readme = (ROOT / 'README.md').read_text()
    drawn = dict(re.findall(r'^(\w+) +\(([^)]*)\)$', readme, re.M))
    assert sorted(drawn) == MODULES
    for module, listed in drawn.items():
        listed = {d.strip() for d in listed.split(',')}
        ours = depends(module) & set(MODULES)
        assert listed & set(MODULES) == ours, module
        assert listed - set(MODULES) <= depends(module), module
