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


def scenarios(folder):
    "The names of the proteus scenarios of the folder"
    return sorted(
        os.path.basename(p) for p in glob.glob(os.path.join(folder, '*.rst')))


def run_scenario(path):
    "Run the proteus scenario as a user would walk it; fail on any error"
    suite = doctest.DocFileSuite(
        path, module_relative=False,
        setUp=doctest_setup, tearDown=doctest_teardown, encoding='utf-8',
        checker=doctest_checker, optionflags=OPTIONS)
    result = suite.run(unittest.TestResult())
    failures = result.failures + result.errors
    assert not failures, failures[0][1]
    assert result.testsRun == 1


@pytest.mark.parametrize('scenario', scenarios(HERE))
def test_scenario(scenario):
    "Run the proteus scenario as a user would walk it"
    run_scenario(os.path.join(HERE, scenario))
