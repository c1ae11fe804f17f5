# This file is part of the coastal customer service project.
"""Two server processes on one database, as two gunicorn workers are: a
change made through one is used by the other within a second (trytond.conf
[cache] clean_timeout = 0: LISTEN/NOTIFY on PostgreSQL, the ir_cache table
on SQLite)"""
import contextlib
import datetime as dt
import time

import pytest
from demo_db import PASSWORD, demo_database, trytond_server

from proteus import Model, config

# A call made this long after the change already uses it (seconds)
COHERENT_WITHIN = 1.0
RECEIVED_AT = dt.datetime(2026, 11, 2, 2, 0)  # a Monday, 10:00 in Shanghai


@pytest.fixture(scope='module')
def servers():
    with demo_database() as demo, \
            trytond_server(demo.env, demo.name) as one, \
            trytond_server(demo.env, demo.name) as other, \
            contextlib.ExitStack() as sessions:

        def connect(url, login):
            "A session of the login on the server, as sao keeps one"
            return sessions.enter_context(config.set_xmlrpc_session(
                    '%s%s/rpc/' % (url, demo.name), login, PASSWORD))
        yield {
            'admin one': connect(one, 'admin'),
            'admin other': connect(other, 'admin'),
            'receptionist other': connect(other, 'receptionist'),
            }


def register(connection):
    "Register a repair call on the server; return its acknowledgement due"
    Request = Model.get('service_center.request', config=connection)
    Unit = Model.get('service_center.unit', config=connection)
    Deadline = Model.get('service_center.request.deadline', config=connection)
    unit, = Unit.find([
            ('project.code', '=', 'HYHY'), ('code', '=', '1-1-101')])
    request = Request(
        unit=unit, project=unit.project, party=unit.owners[0],
        kind='repair', category='construction_repair',
        description="Leak under the kitchen sink",
        received_at=RECEIVED_AT)
    request.save()
    request.click('register')
    deadline, = Deadline.find([
            ('request', '=', request.id), ('target', '=', 'ack')])
    return deadline.due_at


def timed(function, *args):
    "Return the result of the call and the seconds it took"
    start = time.monotonic()
    result = function(*args)
    return result, time.monotonic() - start


def test_sla_change_reaches_other_process(servers):
    admin_one, admin_other = servers['admin one'], servers['admin other']
    before, took = timed(register, admin_other)
    print("registration through the other process: %.3f s" % took)

    SLA = Model.get('service_center.sla', config=admin_one)
    # The demo has one SLA, for every kind of request
    slas = SLA.find([])
    assert len(slas) == 1
    for sla in slas:
        sla.ack_delay += dt.timedelta(hours=3)
        sla.ack_working = False
    SLA.save(slas)
    # The very next registration through the other process uses it
    due, took = timed(register, admin_other)
    assert due == RECEIVED_AT + dt.timedelta(minutes=10, hours=3)
    assert due != before
    assert register(admin_one) == due
    print("SLA change used by the other process's next registration, "
        "answered %.3f s after the change" % took)
    assert took < COHERENT_WITHIN


def test_receptionist_removed_from_centre(servers):
    admin_one = servers['admin one']
    receptionist_other = servers['receptionist other']
    Request = Model.get('service_center.request', config=receptionist_other)
    seen = Request.find([('project.code', '=', 'HYHY')])
    assert len(seen) > 0

    Receptionist = Model.get(
        'service_center.center.receptionist', config=admin_one)
    Receptionist.delete(Receptionist.find([
                ('user.login', '=', 'receptionist')]))

    # Her very next search through the other process finds nothing
    found, took = timed(Request.find, [])
    assert found == []
    print("receptionist's scope emptied in the other process: her next "
        "search answered %.3f s after the change" % took)
    assert took < COHERENT_WITHIN
