# This file is part of the coastal customer service project.
"""Drive the sao web client in headless Chromium against the demo database.

A fresh demo database is built in a temporary directory, served by
``trytond`` on a free local port, and checked from the browser: the
receptionist of 海韵花园 sees only the 120 units of her project, HQ sees
all 200.  Screenshots go to ``artifacts/browser/``.
"""
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright import sync_api as playwright_api

expect = playwright_api.expect

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / 'artifacts' / 'browser'
PYTHON = Path(sys.executable)
TRYTOND = PYTHON.parent / 'trytond'
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
    ]
DATABASE = 'demo'
PASSWORD = 'demo2026'
UNIT_MODEL = 'service_center.unit'
HOME_PROJECT = '海韵花园'
OTHER_PROJECT = '星海湾壹号'
UNIT_CODE = re.compile(r'^\d+-\d+-\d+$')
SERVER_START_TIMEOUT = 60  # seconds
TIMEOUT = 20_000  # milliseconds, for every browser wait
# sao's modal dialogs that report a problem to the user
ERROR_DIALOGS = (
    '.error-dialog:visible, .warning-dialog:visible, '
    '.user-warning-dialog:visible, .message-dialog:visible')



# Server ---------------------------------------------------------------------

def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def server_env(path):
    "The parent's environment without its Tryton settings, on SQLite"
    env = {k: v for k, v in os.environ.items()
        if not k.startswith('TRYTOND_') and k not in {'DB_NAME', 'DB_CACHE'}}
    env.update(
        TRYTOND_DATABASE_URI='sqlite://',
        TRYTOND_DATABASE__PATH=str(path),
        TRYTOND_WEB__ROOT=str(REPO / 'sao'),
        )
    return env


def build_demo(path, env):
    result = subprocess.run(
        [PYTHON, REPO / 'data' / 'demo.py',
            '-c', REPO / 'trytond.conf', '-d', DATABASE],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (
        "data/demo.py failed:\n" + result.stdout + result.stderr)


def wait_for_http(url, process, log):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("trytond exited with %s:\n%s"
                % (process.returncode, log.read_text()))
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)  # polling interval, the loop itself is bounded
    pytest.fail("trytond did not answer on %s within %s s:\n%s"
        % (url, SERVER_START_TIMEOUT, log.read_text()))


@pytest.fixture(scope='module')
def server(tmp_path_factory):
    "URL of a trytond serving sao and a fresh demo database"
    path = tmp_path_factory.mktemp('browser')
    env = server_env(path)
    build_demo(path, env)

    # trytond.conf sets [web] listen and config files beat environment
    # variables, so the port comes from a second config file read last.
    port = free_port()
    extra = path / 'extra.conf'
    extra.write_text('[web]\nlisten = 127.0.0.1:%s\n' % port)
    log = path / 'trytond.log'
    with open(log, 'w') as log_file:
        process = subprocess.Popen(
            [TRYTOND, '-c', REPO / 'trytond.conf', extra, '-d', DATABASE],
            cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        url = 'http://127.0.0.1:%s/' % port
        wait_for_http(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# Browser --------------------------------------------------------------------

@pytest.fixture(scope='module')
def browser():
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    "A fresh page (no stored sao session) that records JavaScript errors"
    context = browser.new_context(
        viewport={'width': 1280, 'height': 800}, locale='zh-CN')
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.js_errors = []
    page.on('pageerror', lambda error: page.js_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture(scope='module')
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def screenshot(page, artifacts, name):
    page.screenshot(path=str(artifacts / ('%s.png' % name)))


def assert_healthy(page):
    "No sao error dialog is shown and no JavaScript error was thrown"
    dialogs = page.locator(ERROR_DIALOGS)
    assert not dialogs.count(), (
        "sao shows a dialog: %s" % dialogs.all_inner_texts())
    assert not page.js_errors, "JavaScript errors: %s" % page.js_errors


# sao ------------------------------------------------------------------------

def model_url(server, model):
    "sao's route to a model: the list then the form, default views"
    return '%s#%s/model/%s' % (server, DATABASE, model)


def login(page, user, artifacts=None):
    """Fill sao's two-step login: user name, then the password dialog.

    The page must already be loaded; the login dialog shows the database
    (read-only when the server lists a single one).
    """
    dialog = page.locator('.login-dialog.in')
    database = dialog.locator('input#database, select#database')
    expect(database.filter(visible=True)).to_have_value(DATABASE)
    dialog.locator('input#login').fill(user)
    if artifacts:
        screenshot(page, artifacts, 'login')
    dialog.locator('button[type=submit]').click()

    password = page.locator('.ask-dialog.in input[type=password]')
    password.fill(PASSWORD)
    password.press('Enter')
    expect(page.locator('.login-dialog')).to_have_count(0)
    expect(page.locator('#user-preferences')).not_to_be_empty()


def active_tab(page):
    return page.locator('#tabcontent > .tab-pane.active')


def list_table(page):
    return active_tab(page).locator('table.tree').first


def list_rows(page):
    "Record rows of the list in the active tab (not the 'More' row)"
    return list_table(page).locator('> tbody > tr:not(.more-row)')


def record_count(page):
    """The record count of sao's status badge: '_/120' or '1/120' when
    all are loaded, '_@100/120' when only some are (sao abbreviates
    counts above 1000, which these tests do not need)."""
    badge = active_tab(page).locator('.tab-form .navbar-text .badge')
    expect(badge).to_have_text(re.compile(r'/[1-9][0-9]*$'))
    return int(badge.inner_text().rsplit('/', 1)[1])


def load_all_rows(page, total, limit=50):
    """Scroll the list to its end until it shows `total` rows: sao adds
    the next rows when its 'More' button scrolls into view."""
    rows = list_rows(page)
    treeview = active_tab(page).locator('.treeview').first
    for _ in range(limit):
        shown = rows.count()
        if shown >= total:
            return rows
        treeview.evaluate('view => view.scrollTo(0, view.scrollHeight)')
        expect(rows).not_to_have_count(shown)
    pytest.fail("the list shows %s of %s rows" % (rows.count(), total))


def column(page, widget):
    """The texts of one list column, by its sao widget class: the first
    'column-char' of a row is the unit code (the owners follow), the
    first 'column-many2one' the project (the building column is
    invisible)."""
    return list_rows(page).evaluate_all(
        """(rows, widget) => rows.map(row => row.querySelector(
            'td:not(.invisible) .' + widget).innerText)""", widget)


def open_units(page, server, user, artifacts=None):
    "Log in through the unit list route and wait for the list to load"
    page.goto(model_url(server, UNIT_MODEL))
    login(page, user, artifacts)
    expect(page).to_have_url(
        re.compile(r'/model/%s\b' % re.escape(UNIT_MODEL)))
    expect(list_rows(page).first).to_be_visible()
    assert_healthy(page)


# Tests ----------------------------------------------------------------------

def test_receptionist_sees_her_project_units(page, server, artifacts):
    open_units(page, server, 'receptionist', artifacts)

    assert record_count(page) == 120
    screenshot(page, artifacts, 'list')
    rows = load_all_rows(page, 120)
    expect(rows).to_have_count(120)
    expect(active_tab(page).locator('tr.more-row')).to_have_count(0)

    projects = column(page, 'column-many2one')
    codes = column(page, 'column-char')
    assert set(projects) == {HOME_PROJECT}
    assert OTHER_PROJECT not in active_tab(page).inner_text()
    assert len(codes) == len(set(codes)) == 120
    assert all(UNIT_CODE.match(code) for code in codes), codes
    assert_healthy(page)

    first = rows.first.locator('.column-char').first
    code = first.inner_text()
    first.dblclick()
    form = active_tab(page).locator('.form')
    expect(form.locator('input[name=code]')).to_have_value(code)
    expect(form.locator('input[name=project]')).to_have_value(HOME_PROJECT)
    expect(form.locator('input[name=building]')).not_to_have_value('')
    expect(form.locator('input[name=room]')).not_to_have_value('')
    expect(page).to_have_url(
        re.compile(r'/model/%s/\d+' % re.escape(UNIT_MODEL)))
    screenshot(page, artifacts, 'form')
    assert_healthy(page)


def test_hq_sees_all_units(page, server, artifacts):
    open_units(page, server, 'hq')

    assert record_count(page) == 200
    screenshot(page, artifacts, 'list_hq')  # 星海湾壹号 sorts first
    rows = load_all_rows(page, 200)
    expect(rows).to_have_count(200)
    expect(active_tab(page).locator('tr.more-row')).to_have_count(0)
    assert set(column(page, 'column-many2one')) == {
        HOME_PROJECT, OTHER_PROJECT}
    assert_healthy(page)
