# This file is part of the coastal customer service project.
import doctest
import glob
import os
import unittest

import pytest

from trytond.tests.test_tryton import (
    doctest_checker,
    doctest_setup,
    doctest_teardown,
)

HERE = os.path.dirname(__file__)
OPTIONS = (
    doctest.REPORT_ONLY_FIRST_FAILURE | doctest.ELLIPSIS
    | doctest.IGNORE_EXCEPTION_DETAIL)


@pytest.mark.parametrize('scenario', sorted(
        os.path.basename(p) for p in glob.glob(os.path.join(HERE, '*.rst'))))
def test_scenario(scenario):
    "Run the proteus scenario as a user would walk it"
    suite = doctest.DocFileSuite(
        os.path.join(HERE, scenario), module_relative=False,
        setUp=doctest_setup, tearDown=doctest_teardown, encoding='utf-8',
        checker=doctest_checker, optionflags=OPTIONS)
    result = suite.run(unittest.TestResult())
    failures = result.failures + result.errors
    assert not failures, failures[0][1]
    assert result.testsRun == 1
