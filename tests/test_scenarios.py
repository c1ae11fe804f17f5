# This file is part of the coastal customer service project.
"""Every module's proteus scenarios (addons/*/tests/scenario_*.rst), each
walked as a user would in a database of its own"""
import doctest
import unittest
from pathlib import Path

import pytest

from trytond.tests.test_tryton import (
    doctest_checker,
    doctest_setup,
    doctest_teardown,
)

ADDONS = Path(__file__).resolve().parent.parent / 'addons'
SCENARIOS = sorted(ADDONS.glob('*/tests/scenario_*.rst'))
OPTIONS = (
    doctest.REPORT_ONLY_FIRST_FAILURE | doctest.ELLIPSIS
    | doctest.IGNORE_EXCEPTION_DETAIL)


@pytest.mark.parametrize('path', SCENARIOS,
    ids=[f'{p.parts[-3]}/{p.name}' for p in SCENARIOS])
def test_scenario(path):
    "Run the scenario; fail on any error"
    suite = doctest.DocFileSuite(
        str(path), module_relative=False,
        setUp=doctest_setup, tearDown=doctest_teardown, encoding='utf-8',
        checker=doctest_checker, optionflags=OPTIONS)
    result = suite.run(unittest.TestResult())
    failures = result.failures + result.errors
    assert not failures, failures[0][1]
    assert result.testsRun == 1
