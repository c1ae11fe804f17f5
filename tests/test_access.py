# This file is part of the coastal customer service project.
"""The access matrix (tests/access_matrix.py) on a fresh demo database:
every RPC verb of every model of ours and of the owners, as the receptionist
of 海韵花园 on 星海湾壹号's records and on her own, and as headquarters"""
import json

import pytest
from demo_db import CONFIG, REPO, demo_database, run_script


@pytest.fixture(scope='module')
def matrix():
    with demo_database() as demo:
        result = run_script(
            demo.env, REPO / 'tests' / 'access_matrix.py', CONFIG, demo.name)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_no_leak(matrix):
    "No attempt out of a role's reach returns or changes anything"
    print("access matrix: %s attempts on %s models, %s leaks; %s" % (
            matrix['attempts'], matrix['models'], len(matrix['leaks']),
            matrix['covered']))
    assert matrix['leaks'] == []


def test_recognition(matrix):
    """Any receptionist recognises any owner by the exact number, by name,
    unit and project only; she is linked to the records she serves"""
    assert matrix['recognised'] == {
        'receptionist': {
            '132 1487 9094': {
                'callers': '黄远 — 星海湾壹号 1-1-101',
                'parties': [], 'units': []},
            '182 2958 7039': {
                'callers': '曹英 — 海韵花园 1-1-102',
                'parties': ['曹英'], 'units': ['海韵花园 1-1-102']},
            },
        'hq': {
            '132 1487 9094': {
                'callers': '黄远 — 星海湾壹号 1-1-101',
                'parties': ['黄远'], 'units': ['星海湾壹号 1-1-101']},
            '182 2958 7039': {
                'callers': '曹英 — 海韵花园 1-1-102',
                'parties': ['曹英'], 'units': ['海韵花园 1-1-102']},
            },
        }


def test_every_verb_tried(matrix):
    """The matrix reached the models and verbs it means to: a model of the
    other project for each verb, and headquarters on every model"""
    counts = matrix['counts']
    for verb in ['search', 'search_count', 'read', 'export_data', 'copy',
            'delete', 'write', 'create']:
        assert sum(n for k, n in counts.items()
            if k.split(' ')[0] == verb) > 0, verb
    assert matrix['covered'] == COVERED


# What the matrix reaches in the demo: the models with records of
# 星海湾壹号, of requests without a work order of the responder's department,
# in a final state, and every model with records for headquarters
COVERED = {
    'receptionist outside': [
        'party.party',
        'service_center.building',
        'service_center.center',
        'service_center.center-service_center.project',
        'service_center.courtesy_call',
        'service_center.escalation',
        'service_center.ownership',
        'service_center.project',
        'service_center.request',
        'service_center.request.deadline',
        'service_center.unit',
        'service_center.work_order'
    ],
    'receptionist inside': [
        'party.party',
        'service_center.alarm',
        'service_center.building',
        'service_center.callback',
        'service_center.center',
        'service_center.center-service_center.project',
        'service_center.courtesy_call',
        'service_center.escalation',
        'service_center.kpi.fact',
        'service_center.ownership',
        'service_center.project',
        'service_center.request',
        'service_center.request.deadline',
        'service_center.survey.answer',
        'service_center.survey.response',
        'service_center.unit',
        'service_center.work_order'
    ],
    'hq': [
        'party.party',
        'service_center.alarm',
        'service_center.building',
        'service_center.calendar',
        'service_center.calendar.hours',
        'service_center.callback',
        'service_center.center',
        'service_center.center-service_center.project',
        'service_center.center.receptionist',
        'service_center.courtesy_call',
        'service_center.department',
        'service_center.escalation',
        'service_center.kpi.center',
        'service_center.kpi.configuration',
        'service_center.kpi.department',
        'service_center.kpi.fact',
        'service_center.kpi.group',
        'service_center.kpi.region',
        'service_center.notification',
        'service_center.ownership',
        'service_center.project',
        'service_center.region',
        'service_center.region.deputy',
        'service_center.request',
        'service_center.request.deadline',
        'service_center.roster_import',
        'service_center.sla',
        'service_center.survey',
        'service_center.survey.answer',
        'service_center.survey.question',
        'service_center.survey.response',
        'service_center.unit',
        'service_center.warranty_type',
        'service_center.work_order'
    ],
    'responder outside': [
        'service_center.callback',
        'service_center.escalation',
        'service_center.request',
        'service_center.request.deadline',
        'service_center.work_order'
    ],
    'final': [
        'service_center.callback',
        'service_center.request',
        'service_center.work_order'
    ],
    'responder inside': [
        'service_center.escalation',
        'service_center.request',
        'service_center.request.deadline',
        'service_center.work_order'
    ]
}
