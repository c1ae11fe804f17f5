# This file is part of the coastal customer service project.
"""Drive the owner portal in headless Chromium on a phone's screen.

A fresh demo database is built in a temporary directory and served by
``trytond`` on a free local port, as in test_browser.  The owner of
海韵花园 1-1-101 logs in with her mobile number typed with spaces, follows
her request, submits a new one, looks at her home and her profile, reads
the page in English and logs out.  A wrong password is refused on the login
page; a forgetful owner gets a link by text message and chooses a new
password with it.  The whole way of a request: the owner sends it with
photos from her phone, the receptionist dispatches it in sao, the
department's responsible person acknowledges it and agrees the visit in
sao, the owner signs the work off on her phone and rates it, and the
request is closed.  Every page is
checked for JavaScript and console errors and for horizontal scrolling at
360 px.  Screenshots go to ``artifacts/browser/portal_*.png``.
"""
import datetime as dt
import json
import re
import sqlite3
from zoneinfo import ZoneInfo

import pytest
import test_browser as staff
from demo_db import demo_database, trytond_server
from PIL import Image, ImageDraw
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
def portal():
    """The portal's URL on a trytond serving a fresh demo database, and
    the demo's portal owners"""
    with demo_database() as demo:
        owners = portal_owners(demo.path)
        assert [code for _, _, code in owners] == [HOME_UNIT, '2-2-301']
        with trytond_server(
                demo.env, demo.name, '%s/portal/' % demo.name) as server:
            url = '%s%s/portal/' % (server, demo.name)
            yield {'url': url, 'owners': owners, 'path': demo.path,
                'server': server}


# Browser --------------------------------------------------------------------

browser = staff.browser


def phone_page(browser, **options):
    "A fresh page on a phone's screen that records JavaScript errors"
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale='zh-CN',
        timezone_id='Asia/Shanghai', **options)
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
    return page


@pytest.fixture
def phone(browser):
    page = phone_page(browser)
    yield page
    page.context.close()


@pytest.fixture(scope='module')
def artifacts():
    staff.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return staff.ARTIFACTS


def check(page, artifacts, name):
    """Save the screenshot; no JavaScript error so far, and nothing wider
    than the phone"""
    page.screenshot(path=str(artifacts / ('portal_%s.png' % name)))
    assert not page.js_errors, "JavaScript errors: %s" % page.js_errors
    shown = page.locator('#main').inner_text()
    assert not re.search(r'\b(null|undefined|NaN)\b', shown), (
        "page %s shows a programming value: %s" % (name, shown))
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


# The whole way of a request -------------------------------------------------

# data/demo.py: a department and its first responsible person
DEPARTMENT = '物业维修部'
DEPARTMENT_USER = 'maintenance'
MAX_PHOTOS = 6
# The satisfaction the owner gives, and the deadlines' states as the
# centre names them
SATISFIED = '满意'
DEADLINE_STATES = {'计时中', '已达成', '已超时'}
WARRANTY_STATES = {'not_handed_over', 'under_warranty', 'expired'}
SHANGHAI = ZoneInfo('Asia/Shanghai')


@pytest.fixture
def hidpi_phone(browser):
    "A phone with a screen of two device pixels to the CSS pixel"
    page = phone_page(browser, device_scale_factor=2)
    yield page
    page.context.close()


def desktop_page(browser):
    "A fresh page on a desk's screen for sao, recording JavaScript errors"
    context = browser.new_context(
        viewport={'width': 1280, 'height': 800}, locale='zh-CN',
        timezone_id='Asia/Shanghai')
    context.set_default_timeout(staff.TIMEOUT)
    page = context.new_page()
    page.js_errors = []
    page.on('pageerror', lambda error: page.js_errors.append(str(error)))
    page.on('console', lambda message: message.type == 'error'
        and page.js_errors.append('console: %s' % message.text))
    return page


@pytest.fixture
def desktop(browser):
    page = desktop_page(browser)
    yield page
    page.context.close()


def photo(path, format_, colour):
    "A phone's photo of the problem: a wall with a crack across it"
    picture = Image.new('RGB', (800, 600), colour)
    ImageDraw.Draw(picture).line(
        [(100, 80), (420, 330), (700, 520)], fill='#3a3a3a', width=12)
    picture.save(path, format_)
    return path


def choose(dialog, name, text):
    "Type into a many2one field of a sao form and pick sao's completion"
    entry = dialog.locator('input[name=%s]' % name)
    option = dialog.locator('li.completion a').filter(has_text=text).first
    # On a busy machine sao may drop the first typing or its completion:
    # type again, at most three times
    for _ in range(3):
        entry.fill(text)
        try:
            option.click(timeout=staff.TIMEOUT // 3)
        except playwright_api.TimeoutError:
            continue
        break
    expect(entry).to_have_value(text)


def sign_on(page, canvas):
    "Sign on the canvas with the mouse: a name-like scrawl"
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y, width, height = box['x'], box['y'], box['width'], box['height']
    points = [(0.1, 0.6), (0.2, 0.3), (0.3, 0.7), (0.42, 0.35),
        (0.55, 0.65), (0.7, 0.3), (0.9, 0.55)]
    page.mouse.move(x + width * points[0][0], y + height * points[0][1])
    page.mouse.down()
    for px, py in points[1:]:
        page.mouse.move(x + width * px, y + height * py, steps=6)
    page.mouse.up()


def test_request_from_photos_to_closed(
        browser, hidpi_phone, desktop, portal, artifacts, tmp_path):
    """The owner sends a request with photos, the desk dispatches it in
    sao, the department agrees the visit, the owner signs the work off on
    her phone and rates it: the request is closed"""
    page = hidpi_phone
    mobile, owner, unit_code = portal['owners'][0]

    # (a) On her phone: a new request with photos --------------------------
    page.goto(portal['url'] + '#new')
    at(page, 'login')
    log_in(page, spoken(mobile), staff.PASSWORD)
    at(page, 'new')
    expect(page.get_by_role('radio', name=re.compile(unit_code))
        ).to_be_checked()
    page.get_by_label('类型', exact=True).select_option(label='报修')
    page.locator(
        '#new-category input[value="construction_repair"]').check()
    description = '客厅天花板靠窗的地方裂了一道缝，下雨后墙角有水渍。'
    page.get_by_label('问题描述', exact=True).fill(description)

    # Seven photos chosen: the seventh is left out, and the page says so
    files = [photo(tmp_path / 'ceiling.jpg', 'JPEG', '#e9e4da')] + [
        photo(tmp_path / ('wall-%d.png' % i), 'PNG', '#dfe7ee')
        for i in range(1, MAX_PHOTOS + 1)]
    picker = page.get_by_label('添加照片')
    expect(picker).to_have_attribute('accept', 'image/*')
    picker.set_input_files(files)
    previews = page.locator('#new-photo-previews .photo-preview')
    expect(previews).to_have_count(MAX_PHOTOS)
    expect(page.get_by_role('alert')).to_have_text(
        '每条诉求最多 6 张照片，有 1 张没有添加。')
    expect(page.locator('#new-photos-count')).to_have_text('已选 6/6 张照片')
    expect(page.locator('label[for=new-photos]')).to_be_hidden()
    # Each preview shows the photo itself and can be taken out again
    expect(previews.first.locator('img')).to_have_attribute(
        'src', re.compile(r'^blob:'))
    expect(previews.first.locator('img')).to_have_attribute(
        'alt', '照片 1：ceiling.jpg')
    page.locator('#new-photos-count').scroll_into_view_if_needed()
    check(page, artifacts, 'flow_01_photos_full')
    for _ in range(MAX_PHOTOS - 2):
        previews.last.get_by_role('button', name=re.compile('^移除')).click()
    expect(previews).to_have_count(2)
    expect(page.locator('#new-photos-count')).to_have_text('已选 2/6 张照片')
    expect(page.get_by_role('button', name='移除照片 2：wall-1.png')
        ).to_be_visible()
    page.locator('#new-photo-previews').scroll_into_view_if_needed()
    check(page, artifacts, 'flow_02_new')

    with page.expect_response(lambda response: response.url.endswith(
                '/api/requests') and response.request.method == 'POST'
            ) as answer:
        page.get_by_role('button', name='提交诉求').click()
    assert answer.value.status == 200, answer.value.text()
    assert answer.value.request.headers['content-type'].startswith(
        'multipart/form-data; boundary=')
    request_id = answer.value.json()['id']

    at(page, r'request/%s' % request_id)
    notice = page.get_by_role('status').filter(has_text=REQUEST_NUMBER)
    expect(notice).to_be_visible()
    number = REQUEST_NUMBER.search(notice.inner_text()).group()
    thumbs = page.locator('#request-photos img')
    expect(thumbs).to_have_count(2)
    expect(thumbs.first).to_have_attribute('alt', '照片 1/2')
    expect(thumbs.first).to_have_attribute(
        'src', re.compile(r'^api/photos/\d+$'))
    thumbs.last.scroll_into_view_if_needed()
    # The photos as the server keeps them: loaded, at their own size
    page.wait_for_function("""() => Array.from(document.querySelectorAll(
        '#request-photos img')).every(i => i.complete && i.naturalWidth)""")
    assert thumbs.evaluate_all(
        'images => images.map(i => [i.naturalWidth, i.naturalHeight])'
        ) == [[800, 600], [800, 600]]
    photo_url = thumbs.first.evaluate('image => image.src')
    served = page.request.get(photo_url)
    assert served.headers['content-type'] == 'image/jpeg'
    check(page, artifacts, 'flow_03_sent')

    # (b) At the desk, in sao: the receptionist dispatches it --------------
    desk = desktop
    staff.open_action(desk, portal['server'], 'receptionist',
        staff.MENU_CENTRE, staff.MENU_REQUESTS, staff.MENU_REQUESTS)
    row = staff.list_rows(desk).filter(has_text=number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text('已登记')
    expect(row).to_contain_text(owner)
    desk.screenshot(path=str(artifacts / 'portal_flow_04_desk_list.png'))
    staff.assert_healthy(desk)

    row.dblclick()
    tab = staff.active_tab(desk)
    form = tab.locator('.form').first
    expect(form.locator('input[name=number]')).to_have_value(number)
    expect(form.locator('select[name=channel] option:checked')
        ).to_have_text('业主平台')
    expect(form.locator('input[name=unit]')).to_have_value(
        re.compile(re.escape(unit_code)))
    # The owner's photos are with the request
    attachments = staff.form_page(desk, '照片及附件').locator(
        'table.tree').first.locator('> tbody > tr:not(.more-row)')
    expect(attachments).to_have_count(2)

    orders = staff.form_page(desk, '派工单')
    orders.locator('.form-one2many button[title="新建"]').first.click()
    dialog = desk.locator('.modal.in').last
    # Shown, sao draws the new work order and puts the cursor in its first
    # field: what was typed before is gone
    expect(dialog.locator('input[name=department]')).to_be_focused()
    choose(dialog, 'department', DEPARTMENT)
    expect(dialog.locator('input[name=responsible]')).to_have_value(
        re.compile(DEPARTMENT))
    dialog.locator('textarea[name=instructions]').fill(
        '业主在平台上传了照片：客厅天花板裂缝渗水，请上门查看。')
    dialog.locator('button#save').click()
    expect(desk.locator('.modal.in')).to_have_count(0)
    order_rows = orders.locator('table.tree').first.locator(
        '> tbody > tr:not(.more-row)')
    expect(order_rows).to_have_count(1)
    expect(order_rows.first).to_contain_text(DEPARTMENT)

    tab.locator('button#save').click()
    expect(tab.locator('button#save')).to_be_disabled()
    dispatch = form.locator('button[name=dispatch]')
    expect(dispatch).to_have_text('派工')
    dispatch.click()
    expect(form.locator('select[name=state] option:checked')).to_have_text(
        '已派工')
    expect(order_rows.first).to_contain_text('已派工')
    desk.screenshot(path=str(artifacts / 'portal_flow_05_desk_dispatched.png'))
    staff.assert_healthy(desk)

    # (c) The department's responsible person, in sao on her own desk:
    # acknowledged, then the visit agreed with the owner for within the hour
    crew = desktop_page(browser)
    staff.open_action(crew, portal['server'], DEPARTMENT_USER,
        staff.MENU_CENTRE, staff.MENU_REQUESTS, '派工单')
    row = staff.list_rows(crew).filter(has_text=number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text('已派工')
    row.dblclick()
    tab = staff.active_tab(crew)
    form = tab.locator('.form').first
    state = form.locator('select[name=state] option:checked')
    acknowledge = form.locator('button[name=acknowledge]')
    expect(acknowledge).to_have_text('确认接单')
    acknowledge.click()
    expect(state).to_have_text('已受理确认')
    visit = dt.datetime.now(SHANGHAI).replace(
        second=0, microsecond=0) + dt.timedelta(hours=1)
    planned = form.locator('input[name=visit_planned_at]')
    planned.fill(visit.strftime('%Y-%m-%d %H:%M:%S'))
    planned.press('Tab')
    agree = form.locator('button[name=plan]')
    expect(agree).to_have_text('约定上门')
    agree.click()
    expect(state).to_have_text('已预约')
    expect(planned).to_have_value(re.compile(
        '^%s' % re.escape(visit.strftime('%Y-%m-%d %H:%M:%S'))))
    crew.screenshot(path=str(artifacts / 'portal_flow_06_department.png'))
    staff.assert_healthy(crew)
    crew.context.close()

    # (d) On her phone: she signs the work off, then rates it --------------
    menu_link(page, 'requests').click()
    at(page, 'requests')
    page.locator('#request-list .request-card').filter(
        has_text=number).click()
    at(page, r'request/%s' % request_id)
    expect(page.locator('.state-line .badge')).to_have_text('已派工')
    labels = set(page.locator('.deadline .badge').all_inner_texts())
    assert labels and labels <= DEADLINE_STATES, labels
    work_order = page.locator('.work-order').filter(has_text=DEPARTMENT)
    expect(work_order.locator('.badge')).to_have_text('已预约')
    # The time agreed at the desk, in Shanghai's time on her phone too
    expect(work_order.locator('.meta')).to_contain_text(
        '预约上门：%s年%s月%s日 %s' % (visit.year, visit.month, visit.day,
            visit.strftime('%H:%M')))
    sign = work_order.locator('form.sign-form')
    expect(sign.get_by_role('heading', name='签字确认完工')).to_be_visible()
    expect(sign.get_by_label('您的姓名', exact=True)).to_have_value(owner)
    canvas = sign.locator('canvas.signature-pad')
    expect(canvas).to_have_attribute('aria-label', '签名框')
    assert canvas.evaluate('c => getComputedStyle(c).touchAction') == 'none'
    # Drawn at the screen's density
    size = canvas.evaluate("""c => [c.width, c.height,
        c.getBoundingClientRect().width, c.getBoundingClientRect().height,
        window.devicePixelRatio]""")
    assert size[4] == 2
    assert size[:2] == [round(size[2] * 2), round(size[3] * 2)], size

    # A blank box is refused before anything is sent
    sent = []
    page.on('request', lambda request: '/sign' in request.url
        and sent.append(request.url))
    submit = sign.get_by_role('button', name='确认完工并提交签名')
    submit.click()
    expect(sign.get_by_role('alert')).to_have_text('请先在框内签名再提交。')
    assert not sent
    # Clear empties the box
    sign_on(page, canvas)
    sign.get_by_role('button', name='清除重签').click()
    submit.click()
    expect(sign.get_by_role('alert')).to_have_text('请先在框内签名再提交。')
    assert not sent

    sign_on(page, canvas)
    # Signing takes the refusal away
    expect(sign.get_by_role('alert')).to_have_count(0)
    check(page, artifacts, 'flow_07_sign')
    with page.expect_response(
            lambda response: response.url.endswith('/sign')) as answer:
        submit.click()
    assert answer.value.status == 200, answer.value.text()
    assert len(sent) == 1
    signature = json.loads(answer.value.request.post_data)['signature']
    assert signature.startswith('data:image/png;base64,')

    # The page shows the request again: signed, resolved, to be rated
    expect(page.get_by_role('status').filter(
        has_text='已签字确认完工')).to_be_visible()
    expect(page.locator('.state-line .badge')).to_have_text('已解决')
    expect(work_order.locator('.badge')).to_have_text('已完成')
    expect(work_order.locator('.signed')).to_have_text('您已签字确认')
    expect(page.locator('form.sign-form')).to_have_count(0)
    expect(page.locator('.timeline')).to_contain_text(owner)
    rate = page.locator('#rate')
    expect(rate.get_by_role('heading', name='评价本次服务')).to_be_visible()
    # Large targets: each choice is at least 48 px high
    heights = rate.locator('.choice').evaluate_all(
        'choices => choices.map(c => c.getBoundingClientRect().height)')
    assert len(heights) == 7 and min(heights) >= 48, heights
    rate.scroll_into_view_if_needed()
    check(page, artifacts, 'flow_08_resolved')

    rate.get_by_role('radio', name='是，已经解决').check()
    rate.get_by_role('radio', name=SATISFIED, exact=True).check()
    rate.get_by_label('还有什么想告诉我们的？（选填）').fill(
        '师傅很准时，修得也干净。')
    with page.expect_response(
            lambda response: response.url.endswith('/rate')) as answer:
        rate.get_by_role('button', name='提交评价').click()
    assert answer.value.status == 200, answer.value.text()
    assert json.loads(answer.value.request.post_data) == {
        'confirmed': True, 'satisfaction': 'satisfied',
        'comment': '师傅很准时，修得也干净。'}

    expect(page.get_by_role('status')).to_have_text(
        '谢谢您的评价，这条诉求已关闭。')
    expect(page.locator('.state-line .badge')).to_have_text('已关闭')
    expect(page.locator('#rate')).to_have_count(0)
    check(page, artifacts, 'flow_09_closed')

    # Her list says so too, and the centre keeps her answer
    menu_link(page, 'requests').click()
    card = page.locator('#request-list .request-card').filter(
        has_text=number)
    expect(card.locator('.badge')).to_have_text('已关闭')
    connection = sqlite3.connect(
        str(portal['path'] / ('%s.sqlite' % staff.DATABASE)))
    try:
        assert connection.execute(
            'SELECT o.state, o.signed_by, o.signature IS NOT NULL, '
            'c.channel, c.satisfaction, c.confirmed_closed, r.state '
            'FROM service_center_work_order AS o '
            'JOIN service_center_request AS r ON r.id = o.request '
            'JOIN service_center_callback AS c ON c.request = r.id '
            'WHERE r.id = ?', (request_id,)).fetchall() == [
            ('done', owner, 1, 'portal', 'satisfied', 1, 'closed')]
    finally:
        connection.close()

    # Her home: the warranty of each part coloured by its state
    menu_link(page, 'units').click()
    at(page, 'units')
    warranties = page.locator('.unit-card').filter(
        has_text=unit_code).locator('.warranty')
    expect(warranties.first).to_be_visible()
    states = warranties.evaluate_all(
        'items => items.map(i => i.dataset.state)')
    assert states and set(states) <= WARRANTY_STATES, states
    check(page, artifacts, 'flow_10_units')
