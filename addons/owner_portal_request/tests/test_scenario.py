# This file is part of the coastal customer service project.
import os

import pytest
from property_register.tests.tools import run_scenario, scenarios

HERE = os.path.dirname(__file__)


@pytest.mark.parametrize('scenario', scenarios(HERE))
def test_scenario(scenario):
    "Run the proteus scenario as a user would walk it"
    run_scenario(os.path.join(HERE, scenario))
