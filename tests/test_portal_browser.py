# This file is part of the coastal customer service project.
"""Drive the owner portal in headless Chromium on a phone's screen.

A fresh demo database is built in a temporary directory and served by
``trytond`` on a free local port, as in test_browser.  The owner of
海韵花园 1-1-101 logs in with her mobile number typed with spaces, follows
her request, submits a new one, looks at her home and her profile, reads
the page in English and logs out.  A wrong password is refused on the login
page; a forgetful owner gets a link by text message and chooses a new
password with it.  Every page is checked for JavaScript and console errors
and for horizontal scrolling at 360 px.  Screenshots go to
``artifacts/browser/portal_*.png``.
"""
import re
import sqlite3
import subprocess

import pytest
import test_browser as staff
from playwright import sync_api as playwright_api

expect = playwright_api.expect

pytestmark = pytest.mark.browser

PHONE = {'width': 360, 'height': 740}
REQUEST_NUMBER = re.compile(r'KF\d{4}-\d{6}')
HOME_UNIT = '1-1-101'
# What the browser reports on its console when the portal answers 401:
# expected where the page asks whether the owner is still logged in and
# where a login fails, nowhere else
UNAUTHORIZED = re.compile(r'/portal/api/(me|login)$')


# Server ---------------------------------------------------------------------

def portal_owners(path):
    """The demo's owners on the portal, in the order data/demo.py created
    them: (mobile number, name, unit code)"""
    connection = sqlite3.connect(
        str(path / ('%s.sqlite' % staff.DATABASE)))
    try:
        return connection.execute(
            'SELECT u.mobile, p.name, unit.code '
            'FROM web_user AS u '
            'JOIN party_party AS p ON p.id = u.party '
            'JOIN service_center_ownership AS o ON o.party = p.id '
            'JOIN service_center_unit AS unit ON unit.id = o.unit '
            'WHERE u.active AND o.end_date IS NULL '
            'ORDER BY u.id').fetchall()
    finally:
        connection.close()


def spoken(mobile):
    "+8613698847493 the way an owner types it: 136 9884 7493"
    national = mobile.removeprefix('+86')
    return ' '.join([national[:3], national[3:7], national[7:]])


@pytest.fixture(scope='module')
def portal(tmp_path_factory):
    """The portal's URL on a trytond serving a fresh demo database, and
    the demo's portal owners"""
    path = tmp_path_factory.mktemp('portal')
    env = staff.server_env(path)
    staff.build_demo(path, env)
    owners = portal_owners(path)
    assert [code for _, _, code in owners] == [HOME_UNIT, '2-2-301']

    # trytond.conf's [web] listen is overridden by a config file read last
    port = staff.free_port()
    extra = path / 'extra.conf'
    extra.write_text('[web]\nlisten = 127.0.0.1:%s\n' % port)
    log = path / 'trytond.log'
    with open(log, 'w') as log_file:
        process = subprocess.Popen(
            [staff.TRYTOND, '-c', staff.REPO / 'trytond.conf', extra,
                '-d', staff.DATABASE],
            cwd=staff.REPO, env=env, stdout=log_file,
            stderr=subprocess.STDOUT)
    try:
        url = 'http://127.0.0.1:%s/%s/portal/' % (port, staff.DATABASE)
        staff.wait_for_http(url, process, log)
        yield {'url': url, 'owners': owners, 'path': path}
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
            executable_path=staff.CHROMIUM, args=staff.CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    "A fresh page on a phone's screen that records JavaScript errors"
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale='zh-CN',
        timezone_id='Asia/Shanghai')
    context.set_default_timeout(staff.TIMEOUT)
    page = context.new_page()
    page.js_errors = []
    page.on('pageerror', lambda error: page.js_errors.append(str(error)))

    def console(message):
        if message.type != 'error':
            return
        url = message.location.get('url', '')
        if 'status of 401' in message.text and UNAUTHORIZED.search(url):
            return
        page.js_errors.append('console: %s (%s)' % (message.text, url))
    page.on('console', console)
    yield page
    context.close()


@pytest.fixture(scope='module')
def artifacts():
    staff.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return staff.ARTIFACTS


def check(page, artifacts, name):
    """Save the screenshot; no JavaScript error so far, and nothing wider
    than the phone"""
    page.screenshot(path=str(artifacts / ('portal_%s.png' % name)))
    assert not page.js_errors, "JavaScript errors: %s" % page.js_errors
    width = page.evaluate('document.documentElement.scrollWidth')
    assert width <= PHONE['width'], (
        "page %s scrolls sideways: %s px" % (name, width))


def at(page, route):
    expect(page).to_have_url(re.compile(r'#%s$' % route))


def menu_link(page, name):
    "The menu's entry of the page (its title comes from the server)"
    return page.locator('#menu a[data-page="%s"]' % name)


def log_in(page, login, password):
    page.get_by_label('手机号或电子邮箱', exact=True).fill(login)
    page.get_by_label('密码', exact=True).fill(password)
    page.get_by_role('button', name='登录', exact=True).click()


# Tests ----------------------------------------------------------------------

def test_owner_follows_and_submits_requests(phone, portal, artifacts):
    page = phone
    mobile, _, unit_code = portal['owners'][0]
    page.goto(portal['url'] + '#requests')

    # Not logged in: the portal asks who she is
    at(page, 'login')
    expect(page.locator('html')).to_have_attribute('lang', 'zh-CN')
    expect(page.get_by_role('heading', name='业主登录')).to_be_visible()
    expect(page.locator('#menu')).to_be_hidden()
    check(page, artifacts, 'login')

    log_in(page, spoken(mobile), staff.PASSWORD)
    at(page, 'requests')
    expect(page.locator('#menu')).to_be_visible()
    expect(menu_link(page, 'requests')).to_have_attribute(
        'aria-current', 'page')
    cards = page.locator('#request-list .request-card')
    expect(cards.first).to_be_visible()
    numbers = page.locator('#request-list .number').all_inner_texts()
    assert numbers and all(REQUEST_NUMBER.fullmatch(n) for n in numbers)
    expect(cards.first).to_contain_text(unit_code)
    check(page, artifacts, 'requests')

    # One request: its state, its work order and what happened
    first = numbers[0]
    cards.first.click()
    at(page, r'request/\d+')
    expect(page.get_by_role('heading', level=2)).to_have_text(
        '诉求 %s' % first)
    expect(page.get_by_role('heading', name='处理进度')).to_be_visible()
    events = page.locator('.timeline li')
    expect(events.first).to_contain_text(first)
    assert events.count() > 1
    expect(page.locator('.work-order').first).to_be_visible()
    check(page, artifacts, 'request')

    # A new request for her home
    menu_link(page, 'new').click()
    at(page, 'new')
    home = page.get_by_role('radio', name=re.compile(unit_code))
    expect(home).to_be_checked()
    page.get_by_label('类型', exact=True).select_option(label='报修')
    page.locator(
        '#new-category input[value="construction_repair"]').check()
    description = '卫生间洗手盆的水龙头一直滴水，关紧了也不行。'
    page.get_by_label('问题描述', exact=True).fill(description)
    check(page, artifacts, 'new')
    page.get_by_role('button', name='提交诉求').click()

    at(page, r'request/\d+')
    notice = page.get_by_role('status').filter(has_text=REQUEST_NUMBER)
    expect(notice).to_be_visible()
    number = REQUEST_NUMBER.search(notice.inner_text()).group()
    assert number not in numbers
    expect(page.get_by_role('heading', level=2)).to_have_text(
        '诉求 %s' % number)
    expect(page.locator('.description')).to_have_text(description)
    check(page, artifacts, 'created')

    # Her home: handed over, the warranty of each part
    menu_link(page, 'units').click()
    at(page, 'units')
    home = page.locator('.unit-card').filter(has_text=unit_code)
    expect(home).to_contain_text('交付日期')
    expect(home.locator('.warranty').first).to_be_visible()
    check(page, artifacts, 'units')

    # Her mobile number typed her way, kept in international form
    menu_link(page, 'profile').click()
    at(page, 'profile')
    field = page.get_by_label('手机号', exact=True)
    expect(field).not_to_have_value('')
    field.fill(spoken(mobile))
    page.get_by_role('button', name='保存', exact=True).click()
    expect(page.get_by_role('status')).to_have_text('已保存。')
    expect(field).to_have_value(re.compile(
        r'^\+86 %s$' % re.escape(spoken(mobile))))
    check(page, artifacts, 'profile')

    # The new request heads her list
    menu_link(page, 'requests').click()
    at(page, 'requests')
    expect(cards).to_have_count(len(numbers) + 1)
    expect(cards.first.locator('.number')).to_have_text(number)
    expect(cards.first).to_contain_text('卫生间洗手盆')
    expect(cards.first.locator('.badge')).to_have_text('已登记')

    # In English: the page's own labels and the server's answers
    page.get_by_role('button', name='Switch to English').click()
    expect(page.locator('html')).to_have_attribute('lang', 'en')
    expect(page.get_by_role('link', name='Submit a new request')
        ).to_be_visible()
    expect(page.get_by_role('button', name='Log out')).to_be_visible()
    expect(cards.first.locator('.badge')).to_have_text('Registered')
    expect(cards.first).to_contain_text('Received')
    check(page, artifacts, 'english')

    # Logged out, her list is behind the login again
    page.get_by_role('button', name='Log out').click()
    at(page, 'login')
    expect(page.get_by_role('heading', name='Owner login')).to_be_visible()
    page.goto(portal['url'] + '#requests')
    at(page, 'login')
    expect(page.get_by_label('Password', exact=True)).to_be_visible()
    expect(page.locator('#menu')).to_be_hidden()
    check(page, artifacts, 'logged_out')


def test_wrong_password_stays_on_login(phone, portal, artifacts):
    page = phone
    mobile, _, _ = portal['owners'][1]
    page.goto(portal['url'])
    at(page, 'login')

    with page.expect_response(
            lambda response: response.url.endswith('/api/login')) as answer:
        log_in(page, spoken(mobile), 'not-the-password')
    assert answer.value.status == 401
    error = answer.value.json()['error']
    assert error
    expect(page.get_by_role('alert')).to_have_text(error)
    at(page, 'login')
    expect(page.get_by_label('密码', exact=True)).to_be_visible()
    expect(page.locator('#menu')).to_be_hidden()
    check(page, artifacts, 'wrong_password')



def sent_link(path, mobile):
    "The portal's link in the last text message to the mobile number"
    connection = sqlite3.connect(
        str(path / ('%s.sqlite' % staff.DATABASE)))
    try:
        body, = connection.execute(
            'SELECT body FROM service_center_notification '
            'WHERE address = ? ORDER BY id DESC LIMIT 1',
            (mobile,)).fetchone()
    finally:
        connection.close()
    return re.search(r'http://\S+#reset\?\S+', body).group()


def test_forgotten_password(phone, portal, artifacts):
    page = phone
    mobile, _, _ = portal['owners'][1]
    page.goto(portal['url'] + '#login')
    page.get_by_role('link', name='忘记密码？').click()
    at(page, 'forgot')
    page.get_by_label('手机号或电子邮箱', exact=True).fill(spoken(mobile))
    with page.expect_response(
            lambda response: response.url.endswith('/api/forgot')) as answer:
        page.get_by_role('button', name='发送链接').click()
    assert answer.value.status == 200
    expect(page.get_by_role('status')).to_have_text(
        answer.value.json()['message'])
    check(page, artifacts, 'forgot')

    # The link of the text message: choose a new password, twice
    page.goto(sent_link(portal['path'], mobile))
    expect(page.get_by_role('heading', name='设置新密码')).to_be_visible()
    expect(page.locator('.intro')).to_contain_text(mobile)
    new_password = 'sea-view-2026'
    page.get_by_label('新密码（至少 8 位）').fill(new_password)
    page.get_by_label('再次输入新密码').fill('sea-view-2025')
    page.get_by_role('button', name='保存密码').click()
    expect(page.get_by_role('alert')).to_have_text('两次输入的密码不一致。')
    page.get_by_label('再次输入新密码').fill(new_password)
    check(page, artifacts, 'reset')
    page.get_by_role('button', name='保存密码').click()

    # Back on the login page, her login filled in, the token forgotten
    at(page, r'login\?login=[^&]+')
    expect(page.get_by_role('status')).to_have_text('密码已设置，请登录。')
    expect(page.get_by_label('手机号或电子邮箱', exact=True)).to_have_value(
        mobile)
    assert 'token' not in page.evaluate('location.hash')
    page.get_by_label('密码', exact=True).fill(new_password)
    page.get_by_role('button', name='登录', exact=True).click()
    at(page, 'requests')
    expect(page.locator('#request-list .number').first).to_have_text(
        REQUEST_NUMBER)
    check(page, artifacts, 'reset_done')
