# This file is part of the coastal customer service project.
"""Drive the sao web client in headless Chromium against the demo database.

A fresh demo database is built in a temporary directory, served by
``trytond`` on a free local port, and checked from the browser: the
receptionist of 海韵花园 sees only the 120 units of her project, HQ sees
all 200; the receptionist finds the demo requests under their tabs, the
engineering team its work orders and planned visits, the leadership group
the same-problem alarm; and the receptionist registers a call.
Screenshots go to ``artifacts/browser/``.
"""
import datetime as dt
import re
from pathlib import Path

import pytest
from demo_db import demo_database, trytond_server
from playwright import sync_api as playwright_api

expect = playwright_api.expect

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / 'artifacts' / 'browser'
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
REQUEST_NUMBER = re.compile(r'^KF\d{4}-\d{6}$')
# data/demo.py: 13 of its 16 requests are 海韵花园's, one in each state
HOME_REQUESTS = 13
REQUEST_STATES = {
    '草稿', '已登记', '已派工', '已解决', '已关闭', '已重开', '已取消'}
OPEN_STATES = {'已登记', '已派工', '已重开'}
# A 海韵花园 owner of data/roster_sample.xls with one unit and no request
# in the demo, and her number the way a caller says it
CALLER = '182 2958 7039'
CALLER_OWNER = '曹英'
CALLER_UNIT = '海韵花园 1-1-102'
# The menu of the customer centre, as the staff read it
MENU_CENTRE = '客户中心'
MENU_REQUESTS = '客户诉求'
TIMEOUT = 20_000  # milliseconds, for every browser wait
expect.set_options(timeout=TIMEOUT)
# sao's modal dialogs that report a problem to the user
ERROR_DIALOGS = (
    '.error-dialog:visible, .warning-dialog:visible, '
    '.user-warning-dialog:visible, .message-dialog:visible')



# Server ---------------------------------------------------------------------

@pytest.fixture(scope='module')
def server():
    "URL of a trytond serving sao and a fresh demo database"
    with demo_database() as demo, \
            trytond_server(demo.env, demo.name) as url:
        assert demo.name == DATABASE
        yield url


@pytest.fixture(scope='module')
def browser():
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Browser --------------------------------------------------------------------

@pytest.fixture
def page(browser):
    "A fresh page (no stored sao session) that records JavaScript errors"
    context = browser.new_context(
        viewport={'width': 1280, 'height': 800}, locale='zh-CN',
        timezone_id='Asia/Shanghai')
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.js_errors = []
    page.on('pageerror', lambda error: page.js_errors.append(str(error)))
    page.on('console', lambda message: message.type == 'error'
        and page.js_errors.append('console: %s' % message.text))
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


def menu_name(page, name):
    return page.locator('.column-char', has_text=re.compile(
            '^%s$' % re.escape(name)))


def open_menu(page, *path):
    """Open the menu entry at the end of path, expanding the entries
    before it; each is looked for below the one before (a child may have
    its parent's name)"""
    first, *rest = path
    row = page.locator('#menu tr').filter(has=menu_name(page, first)).first
    for name in rest:
        row.locator('.expander').click()
        row = row.locator('xpath=following-sibling::tr').filter(
            has=menu_name(page, name)).first
        expect(row).to_be_visible()
    row.click()
    expect(active_tab(page).locator('.title').first).to_contain_text(
        path[-1])


def open_action(page, server, user, *path):
    "Log in and open a menu entry"
    page.goto(server)
    login(page, user)
    open_menu(page, *path)


def tab_domains(page):
    "The labels of the list's tabs, without their counters"
    links = active_tab(page).locator('.tab-domain .nav-tabs a')
    expect(links.first).to_be_visible()
    return [t.strip() for t in links.evaluate_all(
            "links => links.map(a => a.firstChild.textContent)")]


def tab_domain(page, name):
    "The link of one of the list's tabs"
    return active_tab(page).locator('.tab-domain .nav-tabs a').filter(
        has_text=re.compile('^%s(\\s|$)' % re.escape(name)))


def tab_count(page, name):
    "The counter sao shows on a tab that counts its records"
    counter = tab_domain(page, name).locator('.badge')
    expect(counter).to_have_text(re.compile(r'^\d+$'))
    return int(counter.text_content())


def open_tab_domain(page, name, total=None):
    """Click a tab of the list and wait until the list shows its total
    records (by default the tab's own counter)"""
    if total is None:
        total = tab_count(page, name)
    link = tab_domain(page, name)
    link.click()
    expect(link.locator('xpath=..')).to_have_class(re.compile(r'\bactive\b'))
    badge = active_tab(page).locator('.tab-form .navbar-text .badge')
    expect(badge).to_have_text(re.compile(r'/%s$' % total))
    rows = load_all_rows(page, total)
    expect(rows).to_have_count(total)  # the last tab's rows are gone
    return rows


def cells(page, header, table=None):
    """The texts of the list column with this header, row by row (the
    column's index found among the visible headers)"""
    table = table or list_table(page)
    expect(table.locator('> tbody > tr').first).to_be_visible()
    return table.evaluate(
        """(table, header) => {
            const heads = Array.from(table.querySelectorAll(
                ':scope > thead > tr > th'));
            const index = heads.findIndex(th => th.style.display != 'none'
                && th.innerText.trim() == header);
            if (index < 0) {
                throw new Error('no column ' + header);
            }
            return Array.from(table.querySelectorAll(
                ':scope > tbody > tr:not(.more-row)')).map(
                row => row.children[index].innerText.trim());
        }""", header)


def form_page(page, name):
    "Show a page of the form's notebook and return it"
    form = active_tab(page).locator('.form').first
    form.locator('.nav-tabs a').filter(has_text=name).first.click()
    pane = form.locator('.tab-content > .tab-pane.active').first
    expect(pane).to_be_visible()
    return pane


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


def test_receptionist_follows_the_requests(page, server, artifacts):
    open_action(page, server, 'receptionist',
        MENU_CENTRE, MENU_REQUESTS, MENU_REQUESTS)
    assert tab_domains(page) == [
        '处理中', '逾期', '已升级', '我的', '待回访', '草稿', '全部']
    assert_healthy(page)

    # The first tab: what is still being worked on
    rows = open_tab_domain(page, '处理中')
    assert rows.count() > 1
    assert set(cells(page, '状态')) <= OPEN_STATES
    assert all(REQUEST_NUMBER.match(n) for n in cells(page, '编号'))
    screenshot(page, artifacts, 'requests_open')

    # Past a deadline: shown in red
    overdue = tab_count(page, '逾期')
    assert overdue >= 1
    rows = open_tab_domain(page, '逾期', overdue)
    for index in range(overdue):
        expect(rows.nth(index)).to_have_class(re.compile(r'\bdanger\b'))

    # Resolved, waiting for the call-back (sao hides the state column of a
    # tab that fixes it)
    rows = open_tab_domain(page, '待回访')
    assert rows.count() >= 1
    assert all(REQUEST_NUMBER.match(n) for n in cells(page, '编号'))

    # Every request of her project, one in each state, none of the other
    rows = open_tab_domain(page, '全部', HOME_REQUESTS)
    assert set(cells(page, '状态')) == REQUEST_STATES
    units = [u for u in cells(page, '房号') if u]
    assert units and all(u.startswith(HOME_PROJECT + ' ') for u in units)
    assert OTHER_PROJECT not in active_tab(page).inner_text()
    # the same ones have their overdue box ticked
    expect(rows.locator('input.column-boolean:checked')).to_have_count(
        overdue)
    screenshot(page, artifacts, 'requests_all')
    assert_healthy(page)

    # The request reopened after the owner's dissatisfied call-back
    row = list_rows(page).filter(has_text='已重开')
    expect(row).to_have_count(1)
    number = row.locator('td').filter(has_text=REQUEST_NUMBER).inner_text()
    row.dblclick()
    form = active_tab(page).locator('.form').first
    expect(form.locator('input[name=number]')).to_have_value(number.strip())

    orders = form_page(page, '派工单').locator('table.tree').first
    assert cells(page, '部门', orders) == ['物业安保部']
    assert cells(page, '状态', orders) == ['已完成']

    deadlines = form_page(page, '时限')
    tables = deadlines.locator('table.tree')
    expect(tables).to_have_count(2)
    targets = cells(page, '时限目标', tables.nth(0))
    assert {'受理确认', '解决', '回访'} <= set(targets)
    assert cells(page, '原因', tables.nth(1)) == ['业主不满意']
    screenshot(page, artifacts, 'request_deadlines')
    assert_healthy(page)


def test_responder_sees_work_orders_and_visits(page, server, artifacts):
    open_action(page, server, 'responder',
        MENU_CENTRE, MENU_REQUESTS, '派工单')
    assert tab_domains(page) == ['待处理', '有异议', '已完成', '全部']
    open_tab_domain(page, '待处理')
    # The engineering team sees its own department's work orders only
    assert set(cells(page, '部门')) == {'工程整改组'}
    assert set(cells(page, '状态')) <= {'已派工', '已受理确认', '已预约'}
    screenshot(page, artifacts, 'work_orders')
    # The job the team holds is not theirs, waiting for the leadership
    open_tab_domain(page, '有异议', 1)
    assert cells(page, '部门') == ['工程整改组']
    assert_healthy(page)

    open_menu(page, '预约上门日程')
    calendar = active_tab(page).locator('.calendar')
    expect(calendar.locator('.fc-view')).to_be_visible()
    # A visit agreed for today (or within the hour) is on this week's page
    events = calendar.locator('.fc-event')
    expect(events.first).to_be_visible()
    expect(events.first).to_contain_text(re.compile(r'KF\d{4}-\d{6}'))
    expect(events.first).to_contain_text('工程整改组')
    screenshot(page, artifacts, 'planned_visits')
    assert_healthy(page)


def test_leadership_sees_the_alarm(page, server, artifacts):
    open_action(page, server, 'leadership',
        MENU_CENTRE, MENU_REQUESTS, '报警')
    assert tab_domains(page) == ['未关闭', '全部']
    rows = open_tab_domain(page, '未关闭', 1)
    assert cells(page, '物业项目') == [HOME_PROJECT]
    assert cells(page, '服务类别') == ['房屋工程质量维修']
    assert cells(page, '保修部位') == ['防水']
    assert cells(page, '业主数') == ['3']
    screenshot(page, artifacts, 'alarm')

    rows.first.dblclick()
    requests = active_tab(page).locator('.form table.tree').first
    expect(requests.locator('> tbody > tr')).to_have_count(3)
    assert len(set(cells(page, '业主', requests))) == 3
    assert_healthy(page)


def board_panel(page, title):
    "The panel of a dashboard showing the action of this title"
    return active_tab(page).locator('.board-action').filter(
        has=page.locator('.panel-heading', has_text=title))


def test_centre_dashboard(page, server, artifacts):
    open_action(page, server, 'center_manager',
        MENU_CENTRE, '看板', '客户中心看板')
    panels = active_tab(page).locator('.board-action')
    expect(panels).to_have_count(4)
    for title in ['未结诉求', '超时诉求', '待回访', '同问题报警']:
        expect(board_panel(page, title)).to_be_visible()
    # The demo's open alarm, and open requests of the centre's projects
    alarm_rows = board_panel(page, '同问题报警').locator(
        'table.tree > tbody > tr:not(.more-row)')
    expect(alarm_rows).to_have_count(1)
    open_rows = board_panel(page, '未结诉求').locator(
        'table.tree > tbody > tr:not(.more-row)')
    expect(open_rows.first).to_contain_text(re.compile(r'KF\d{4}-\d{6}'))
    screenshot(page, artifacts, 'board_center')
    assert_healthy(page)


def test_region_dashboard(page, server, artifacts):
    open_action(page, server, 'leadership', MENU_CENTRE, '看板', '区域看板')
    this_month = board_panel(page, '本月考评')
    expect(this_month).to_be_visible()
    expect(board_panel(page, '上月考评')).to_be_visible()
    # One row per centre of the region that had requests this month
    rows = this_month.locator('table.tree > tbody > tr:not(.more-row)')
    expect(rows.first).to_contain_text('客户中心')
    screenshot(page, artifacts, 'board_leadership')
    assert_healthy(page)


def test_hq_dashboard_regions(page, server, artifacts):
    open_action(page, server, 'hq', MENU_CENTRE, '看板', '集团看板')
    regions = board_panel(page, '各区域本月考评')
    rows = regions.locator('table.tree > tbody > tr:not(.more-row)')
    # The demo's one region, with this hour's requests in it
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text('大连')
    screenshot(page, artifacts, 'board_hq')
    assert_healthy(page)


def test_department_evaluation_by_fortnight(page, server, artifacts):
    open_action(page, server, 'leadership',
        MENU_CENTRE, '统计报表', '部门考评')
    tab = active_tab(page)
    # The departments the demo dispatched to within the hour
    for name in ['物业安保部', '物业维修部']:
        expect(list_table(page)).to_contain_text(name)
    context = tab.locator('.content-box .form').first
    period = context.locator('select').first
    expect(period.locator('option:checked')).to_have_text('月')
    # The day in the period, then the first and last days it gives
    dates = context.locator('.form-date input[type="text"]')
    expect(dates).to_have_count(3)
    from_date = dates.nth(1)
    today = dt.date.today()
    expect(from_date).to_have_value(today.replace(day=1).isoformat())
    period.select_option(label='半月')
    # The fortnight starts on the 1st or the 16th, and the list follows
    start = today.replace(day=1 if today.day <= 15 else 16)
    expect(from_date).to_have_value(start.isoformat())
    end = dates.nth(2)
    if start.day == 1:
        expect(end).to_have_value(today.replace(day=15).isoformat())
    expect(list_table(page)).to_contain_text('物业安保部')
    screenshot(page, artifacts, 'kpi_department_fortnight')
    assert_healthy(page)


def test_centre_survey(page, server, artifacts):
    open_action(page, server, 'center_manager',
        MENU_CENTRE, '统计报表', '满意度调查')
    # data/demo.py: five owners answered; three of them score 60 or more
    row = list_rows(page).filter(has_text='海韵花园客户中心半年度满意度调查')
    expect(row).to_have_count(1)
    expect(row).to_contain_text('客户中心半年度调查')
    expect(row).to_contain_text('进行中')
    expect(row).to_contain_text('60.00%')
    row.dblclick()
    pane = form_page(page, '答卷')
    responses = pane.locator('table.tree').first.locator(
        '> tbody > tr:not(.more-row)')
    expect(responses).to_have_count(5)
    screenshot(page, artifacts, 'survey')
    assert_healthy(page)


def test_receptionist_registers_a_call(page, server, artifacts):
    open_action(page, server, 'receptionist',
        MENU_CENTRE, MENU_REQUESTS, MENU_REQUESTS)
    expect(list_rows(page).first).to_be_visible()
    active_tab(page).locator('button#new_').click()
    form = active_tab(page).locator('.form').first

    # The number as the caller says it: the owner and her unit fill in
    phone = form.locator('input[name=caller_phone]')
    phone.fill(CALLER)
    phone.press('Tab')
    expect(form.locator('input[name=party]')).to_have_value(CALLER_OWNER)
    expect(form.locator('input[name=unit]')).to_have_value(CALLER_UNIT)
    expect(form.locator('input[name=project]')).to_have_value(HOME_PROJECT)
    expect(phone).to_have_value('+86' + CALLER.replace(' ', ''))

    form.locator('select[name=kind]').select_option(label='投诉')
    form.locator('select[name=category]').select_option(label='日常物业管理服务')
    form.locator('textarea[name=description]').fill(
        "楼道的灯坏了好几天了，晚上回家黑乎乎的，老人上下楼不安全。")
    active_tab(page).locator('button#save').click()
    expect(active_tab(page).locator('button#save')).to_be_disabled()
    expect(form.locator('input[name=number]')).to_have_value('')
    screenshot(page, artifacts, 'request_new')

    register = form.locator('button[name=register]')
    expect(register).to_have_text('登记')
    register.click()
    expect(form.locator('input[name=number]')).to_have_value(REQUEST_NUMBER)
    expect(form.locator('select[name=state] option:checked')).to_have_text(
        '已登记')
    expect(register).to_be_hidden()
    expect(form.locator('button[name=dispatch]')).to_have_text('派工')
    screenshot(page, artifacts, 'request_registered')
    assert_healthy(page)
