# This file is part of the coastal customer service project.
"""Create the demo database once, with its data; a second run only prints
the logins.

    .venv/bin/python data/demo.py -c trytond.conf -d demo

The database backend comes from TRYTOND_DATABASE_URI (SQLite by default,
files under TRYTOND_DATABASE__PATH).

The owners' requests of the last weeks are played back through the same
buttons the staff click, each by the user whose job it is; only the clock
of our modules (property_register.clock) is set back to when each step
happened.
Notifications stay queued for a worker (no mail is sent while building).
"""
import argparse
import base64
import datetime as dt
import os
import subprocess
import sys
import tempfile
from decimal import Decimal
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
ADMIN_EMAIL = 'admin@example.com'
PASSWORD = 'demo2026'
LANGUAGE = 'zh_CN'
TIMEZONE = ZoneInfo('Asia/Shanghai')
# login: (name, e-mail, mobile, groups)
USERS = {
    'receptionist': ("王静 (前台)", '13800138001', ['group_receptionist']),
    'center_manager': (
        "李明 (客户中心经理)", '13800138002', ['group_center_manager']),
    'responder': ("张强 (工程整改组)", '13800138003', ['group_responder']),
    'leadership': ("陈建国 (地区总经理)", '13800138004', ['group_leadership']),
    'hq': ("刘洋 (集团客户关系部)", '13800138005', ['group_hq']),
    'club_coordinator': (
        "赵敏 (客户会专员)", '13800138006', ['group_club_coordinator']),
    'magazine_editor': (
        "孙丽 (家杂志编辑)", '13800138007', ['group_magazine_editor']),
    # The first responsible person of each other back-factory department
    'sales': ("何雪 (销售案场)", '13800138008', ['group_responder']),
    'design': ("冯磊 (设计院)", '13800138009', ['group_responder']),
    'security': ("吴刚 (物业安保部)", '13800138010', ['group_responder']),
    'maintenance': ("周涛 (物业维修部)", '13800138011', ['group_responder']),
    'cleaning': ("郑芳 (物业保洁部)", '13800138012', ['group_responder']),
    'waterproofing': (
        "许建华 (防水专业分包)", '13800138013', ['group_responder']),
    }
# name, kind, login of the first responsible person
DEPARTMENTS = [
    ("销售案场", 'sales', 'sales'),
    ("工程整改组", 'engineering', 'responder'),
    ("设计院", 'design', 'design'),
    ("物业安保部", 'property_security', 'security'),
    ("物业维修部", 'property_maintenance', 'maintenance'),
    ("物业保洁部", 'cleaning', 'cleaning'),
    ("防水专业分包", 'contractor', 'waterproofing'),
    ]
# A 1×1 PNG standing for the owner's signature on the tablet
SIGNATURE = base64.b64decode(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk'
    'YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    return parser.parse_args()


def database_exists(name):
    from trytond.transaction import Transaction
    with Transaction().start(None, 0, close=True) as transaction:
        return name in transaction.database.list()


def create_database(name):
    from trytond import backend, config
    from trytond.transaction import Transaction
    if backend.name == 'sqlite':
        path = config.get('database', 'path')
        os.makedirs(path, exist_ok=True)
        open(os.path.join(path, name + '.sqlite'), 'a').close()
    else:
        with Transaction().start(
                None, 0, close=True, autocommit=True) as transaction:
            transaction.database.create(transaction.connection, name)


def drop_database(name):
    from trytond import backend, config
    from trytond.transaction import Transaction
    if backend.name == 'sqlite':
        path = os.path.join(config.get('database', 'path'), name + '.sqlite')
        if os.path.exists(path):
            os.remove(path)
    else:
        with Transaction().start(
                None, 0, close=True, autocommit=True) as transaction:
            transaction.database.drop(transaction.connection, name)


def initialise(config_file, name):
    "Create the schema with service_center and the Chinese translations"
    with tempfile.NamedTemporaryFile('w', suffix='.pass') as passfile:
        passfile.write(PASSWORD)
        passfile.flush()
        env = dict(os.environ, TRYTONPASSFILE=passfile.name)
        subprocess.run([
                os.path.join(os.path.dirname(sys.executable), 'trytond-admin'),
                '-c', config_file, '-d', name, '--all',
                '--email', ADMIN_EMAIL,
                '-u', 'service_kpi', 'owner_portal_request',
                '--activate-dependencies',
                '-l', LANGUAGE,
                ], env=env, check=True)


def load(config_file, name):
    from proteus import config as pconfig
    pconfig.set_trytond(database=name, config_file=config_file)
    company = _company()
    users = _users(company)
    region, projects = _register(company, users)
    departments = _departments(region, users)
    _centers(region, projects, users)
    _import_roster()
    _finish_configuration()
    _requests(users, departments)
    _survey(users)
    _portal_owners()


def _company():
    from proteus import Model, Wizard
    Currency = Model.get('currency.currency')
    Party = Model.get('party.party')
    cny = Currency(name="人民币", code='CNY', symbol='¥', numeric_code='156')
    cny.save()
    party = Party(name="沿海地产集团大连公司")
    party.save()
    wizard = Wizard('company.company.config')
    wizard.execute('company')
    wizard.form.party = party
    wizard.form.currency = cny
    wizard.form.timezone = 'Asia/Shanghai'
    wizard.execute('add')
    Company = Model.get('company.company')
    company, = Company.find()
    return company


def _users(company):
    from proteus import Model
    User = Model.get('res.user')
    Group = Model.get('res.group')
    Lang = Model.get('ir.lang')
    Company = Model.get('company.company')
    zh, = Lang.find([('code', '=', LANGUAGE)])
    admin, = User.find([('login', '=', 'admin')])
    admin.language = zh
    admin.save()
    users = {'admin': admin}
    for login, (name, mobile, groups) in USERS.items():
        user = User(
            login=login, name=name, password=PASSWORD,
            email='%s@example.com' % login, mobile=mobile, language=zh)
        for group in groups:
            user.groups.append(Group(_xml_id('service_center', group)))
        user.companies.append(Company(company.id))
        user.company = Company(company.id)
        user.save()
        users[login] = user
    return users


def _xml_id(module, fs_id):
    from proteus import config as pconfig
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(pconfig.get_config().database_name, 0):
        return Pool().get('ir.model.data').get_id(module, fs_id)


def _register(company, users):
    from proteus import Model
    Region = Model.get('service_center.region')
    Project = Model.get('service_center.project')
    region = Region(
        name="大连公司", code='DL', company=company,
        leader=users['leadership'], developer_manager=users['leadership'],
        engineering_manager=users['responder'],
        property_manager=users['center_manager'])
    deputy = region.deputy_managers.new()
    deputy.category = 'construction_repair'
    deputy.user = users['leadership']
    region.save()
    projects = [
        Project(
            name="海韵花园", code='HYHY', region=region,
            address="大连市中山区滨海路88号",
            first_handover_date=dt.date(2022, 6, 30)),
        Project(
            name="星海湾壹号", code='XHW', region=region, suburban=True,
            address="大连市甘井子区星海湾路1号",
            first_handover_date=dt.date(2026, 9, 30)),
        ]
    Project.save(projects)
    return region, projects


def _departments(region, users):
    from proteus import Model
    Department = Model.get('service_center.department')
    departments = [
        Department(
            name=name, kind=kind, region=region,
            responsible=users[login], head=users['leadership'])
        for name, kind, login in DEPARTMENTS]
    Department.save(departments)
    return {d.kind: d for d in departments}


def _centers(region, projects, users):
    from proteus import Model
    Center = Model.get('service_center.center')
    for project in projects:
        center = Center(
            name="%s客户中心" % project.name, code=project.code,
            region=region, manager=users['center_manager'])
        center.projects.append(Model.get('service_center.project')(
                project.id))
        if project.code == 'HYHY':
            receptionist = center.receptionists.new()
            receptionist.user = users['receptionist']
            receptionist.shift = 'morning'
        center.save()


def _import_roster():
    from proteus import Wizard
    path = os.path.join(HERE, 'roster_sample.xls')
    with open(path, 'rb') as file:
        data = file.read()
    wizard = Wizard('service_center.roster_import.wizard')
    wizard.form.file = data
    wizard.form.filename = os.path.basename(path)
    wizard.execute('import_')


def _finish_configuration():
    from proteus import Model
    Item = Model.get('ir.module.config_wizard.item')
    for item in Item.find([('state', '!=', 'done')]):
        item.state = 'done'
        item.save()


# Requests ---------------------------------------------------------------

class _Clock:
    """The time every module of ours reads (property_register.clock) while
    the demo plays back the last weeks: `at`, or the real time when None"""

    def __init__(self):
        self.at = None

    def __call__(self):
        return self._real() if self.at is None else self.at

    def __enter__(self):
        from property_register import clock
        self._module = clock
        self._real = clock.now
        clock.now = self
        return self

    def __exit__(self, *exc):
        self._module.now = self._real
        self.at = None


def _utc(local):
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _day(days_ago, hour, minute=0):
    "Beijing time of a day before today, as naive UTC"
    day = dt.datetime.now(TIMEZONE).date() - dt.timedelta(days=days_ago)
    return _utc(dt.datetime.combine(
            day, dt.time(hour, minute), tzinfo=TIMEZONE))


def _ago(minutes):
    at = dt.datetime.now(TIMEZONE) - dt.timedelta(minutes=minutes)
    return _utc(at.replace(second=0, microsecond=0))


def _later(hour, minute=0, days=0, at_least=60):
    """Beijing time hour:minute in days, or at_least minutes from now when
    that has already passed (the demo may be built late in the day)"""
    local = dt.datetime.now(TIMEZONE)
    day = local.date() + dt.timedelta(days=days)
    at = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TIMEZONE)
    soon = local + dt.timedelta(minutes=at_least)
    return _utc(max(at, soon.replace(second=0, microsecond=0)))


def _stories():
    """The requests of the last weeks, oldest first: where the owner lives,
    what was said, then the steps, each a number of minutes after the step
    before it (or a time) and what was done"""
    return [
        # Closed after a satisfied call-back; the pipe is past its warranty
        dict(at=_day(19, 9, 20), by='receptionist', unit=('HYHY', '1-1-101'),
            channel='project_hotline', kind='repair',
            category='construction_repair', warranty='pipes',
            description="厨房水槽下面的下水管漏水，橱柜底板都泡了，"
            "麻烦尽快派人来看看。",
            steps=[
                (3, 'register'),
                (2, 'dispatch', dict(department='property_maintenance',
                        instructions="检查厨房下水管接口。已过保修期，"
                        "维修费用由业主承担，上门先报价。")),
                (6, 'acknowledge'),
                (5, 'plan', dict(visit=_day(19, 14))),
                (_day(19, 14, 5), 'arrive'),
                (45, 'do', dict(work_done="更换厨房下水管接头及密封圈，"
                        "试水半小时无渗漏。", cost=80)),
                (_day(18, 10, 30), 'callback', dict(
                        satisfaction='satisfied',
                        comment="业主说已经不漏了，师傅很准时。")),
                ]),
        # The first owner of building 3 with water coming in
        dict(at=_day(13, 8, 50), by='receptionist', unit=('HYHY', '3-1-1001'),
            channel='desk', kind='repair', category='construction_repair',
            warranty='waterproofing',
            description="顶楼卧室天花板渗水，下雨天墙角一直往下滴，"
            "墙皮都鼓起来了。",
            steps=[
                (4, 'register'),
                (3, 'dispatch', dict(department='contractor',
                        instructions="屋面防水保修期内，请查明渗漏点。")),
                (8, 'acknowledge'),
                (6, 'plan', dict(visit=_day(13, 15))),
                (_day(13, 15, 10), 'arrive'),
                ]),
        # An enquiry answered on the spot, closed at the call-back
        dict(at=_day(12, 10, 40), by='receptionist', unit=('HYHY', '2-2-601'),
            channel='project_hotline', kind='enquiry',
            category='property_service',
            description="物业费咨询：想问一下今年的物业费标准是多少，"
            "能不能用微信交？去年是在前台刷卡交的。",
            steps=[
                (2, 'register'),
                (3, 'resolve_on_spot', dict(answer="住宅物业费每月每平方米"
                        "2.3元；可在客户中心前台或“沿海物业”微信公众号缴纳，"
                        "12月31日前交清全年的可享九五折。")),
                (_day(10, 16), 'callback', dict(
                        satisfaction='very_satisfied',
                        comment="业主已在微信上交费，没有其他问题。")),
                ]),
        # Cancelled: the owner had it fixed himself
        dict(at=_day(9, 14, 15), by='receptionist', unit=('HYHY', '1-2-302'),
            channel='desk', kind='repair', category='property_service',
            description="入户门锁芯坏了，钥匙插进去拧不动，"
            "现在只能从里面反锁。",
            steps=[
                (3, 'register'),
                (4, 'dispatch', dict(department='property_maintenance',
                        instructions="上门查看门锁，需要换锁芯的话先跟业主"
                        "确认费用。")),
                (_day(9, 16, 30), 'cancel', dict(
                        reason="业主来电说已自己找开锁公司换好了锁芯，"
                        "不需要上门。")),
                ]),
        # Reopened after a dissatisfied call-back, and escalated
        dict(at=_day(6, 10, 5), by='receptionist', unit=('HYHY', '2-1-502'),
            channel='desk', kind='complaint', category='common_upkeep',
            description="2号楼1单元的门禁坏了一个多星期了，刷卡没反应，"
            "只能等别人开门，老人孩子进出很不方便。",
            steps=[
                (3, 'register'),
                (3, 'dispatch', dict(department='property_security',
                        instructions="2号楼1单元门禁读卡器失灵，"
                        "请今天修好。")),
                (5, 'acknowledge'),
                (6, 'plan', dict(visit=_day(6, 15))),
                (_day(6, 15, 5), 'arrive'),
                (35, 'do', dict(work_done="更换门禁读卡模块，测试刷卡正常。")),
                (_day(3, 10, 30), 'callback', dict(
                        satisfaction='dissatisfied', fixed=False,
                        comment="修好第二天又不灵了，要刷三四次才开，"
                        "业主很不满意。")),
                ]),
        # Disputed, decided by the leadership group, reissued
        dict(at=_day(5, 9, 35), by='receptionist', unit=('HYHY', '1-1-402'),
            location="地下车库B2层，18号车位上方", channel='project_hotline',
            kind='repair', category='common_rectification',
            description="地下车库B2层顶板渗水，正好滴在我的车位上，"
            "车上全是水渍和白印。",
            steps=[
                (4, 'register'),
                (3, 'dispatch', dict(department='property_maintenance',
                        instructions="车库顶板渗水，请先查看。")),
                (20, 'dispute', dict(reason="车库顶板渗水是防水工程质量问题，"
                        "在保修期内，应由防水专业分包处理。")),
                (_day(5, 14), 'decide', dict(
                        decision='reassign', to='contractor',
                        note="车库顶板防水在五年保修期内，由防水分包负责"
                        "维修，物业配合清理。")),
                (15, 'reissue'),
                (10, 'acknowledge'),
                (8, 'plan', dict(visit=_day(4, 10))),
                (_day(4, 10, 10), 'arrive'),
                ]),
        # The second owner of building 3: on the portal, with photos
        dict(at=_day(5, 21, 12), by='receptionist', unit=('HYHY', '3-2-1002'),
            channel='portal', kind='repair', category='construction_repair',
            warranty='waterproofing',
            description="外墙渗水，客厅靠窗的墙角发霉了，"
            "孩子有过敏性鼻炎，很着急。照片已上传。",
            steps=[
                (_day(4, 8, 40), 'register'),
                (5, 'dispatch', dict(department='contractor',
                        instructions="客厅外墙渗水，与3-1-1001同一栋楼，"
                        "请一并查看。")),
                (7, 'acknowledge'),
                (6, 'plan', dict(visit=_day(4, 14))),
                (_day(4, 14, 20), 'arrive'),
                ]),
        # Resolved, waiting for its call-back
        dict(at=_day(2, 11, 20), by='receptionist', unit=('HYHY', '1-2-702'),
            channel='desk', kind='repair', category='construction_repair',
            warranty='decoration',
            description="阳台推拉门的滑轮坏了，门推不动，轨道里还掉渣。",
            steps=[
                (3, 'register'),
                (4, 'dispatch', dict(department='property_maintenance',
                        instructions="更换阳台推拉门滑轮，过保维修，"
                        "材料费由业主承担。")),
                (7, 'acknowledge'),
                (5, 'plan', dict(visit=_day(1, 10))),
                (_day(1, 10, 5), 'arrive'),
                (40, 'do', dict(work_done="更换推拉门上下滑轮四个，"
                        "清理轨道。", cost=120)),
                ]),
        # XHW, newly handed over: two departments, one done
        dict(at=_day(1, 14), by='center_manager', unit=('XHW', '1-1-801'),
            channel='desk', kind='repair', category='construction_repair',
            warranty='decoration',
            description="新房收房后发现次卧墙面有一条裂缝，"
            "卫生间地漏还返臭味，想请工程和物业一起来看看。",
            steps=[
                (5, 'register'),
                (4, 'dispatch', dict(department='engineering',
                        instructions="次卧墙面裂缝，判断是否结构问题。",
                        also=('property_maintenance', "卫生间地漏返味。"))),
                (6, 'acknowledge', dict(department='property_maintenance')),
                (3, 'plan', dict(department='property_maintenance',
                        visit=_day(1, 16))),
                (_day(1, 16, 2), 'arrive',
                    dict(department='property_maintenance')),
                (25, 'do', dict(department='property_maintenance',
                        work_done="更换防臭地漏芯。")),
                (30, 'acknowledge', dict(department='engineering')),
                (4, 'plan', dict(department='engineering',
                        visit=_later(14))),
                ]),
        # XHW: the department holds the job is not theirs
        dict(at=_day(1, 17, 30), by='center_manager', unit=('XHW', '1-2-1002'),
            channel='project_hotline', kind='complaint',
            category='common_upkeep',
            description="楼顶水箱间的门一直开着，风一吹咣咣响，"
            "晚上根本睡不着。",
            steps=[
                (4, 'register'),
                (3, 'dispatch', dict(department='engineering',
                        instructions="楼顶水箱间门关不上。")),
                (25, 'dispute', dict(reason="水箱间门属于公共部位日常维护，"
                        "应由物业维修部处理，不属于工程整改范围。")),
                ]),
        # The third owner of building 3: the same-problem alarm opens
        dict(at=_day(1, 18, 45), by='receptionist', unit=('HYHY', '3-1-902'),
            channel='project_hotline', kind='repair',
            category='construction_repair', warranty='waterproofing',
            description="卫生间防水好像有问题，楼下邻居说他家天花板有水印，"
            "让我们赶紧处理。",
            steps=[
                (3, 'register'),
                ]),
        # The 400 hotline: group level from the start
        dict(at=_ago(55), by='receptionist', unit=('HYHY', '2-2-301'),
            channel='hotline_400', kind='complaint', category='opinion',
            priority='high',
            description="昨晚十一点多楼上还在装修打电钻，打物业电话一直"
            "没人接，只好打集团400投诉。",
            steps=[
                (3, 'register'),
                (4, 'dispatch', dict(department='property_security',
                        instructions="核实装修时间，今晚22点前上门提醒"
                        "装修户，并回复业主。")),
                (5, 'acknowledge'),
                (6, 'plan', dict(visit=_later(21, 30))),
                ]),
        # Dispatched, not acknowledged yet
        dict(at=_ago(40), by='receptionist', unit=('HYHY', '3-1-502'),
            channel='project_hotline', kind='repair', category='common_upkeep',
            priority='high',
            description="3号楼1单元的电梯这两天老是停在8楼不动，按了没反应，"
            "家里有老人，上下楼很困难。",
            steps=[
                (3, 'register'),
                (3, 'dispatch', dict(department='property_maintenance',
                        instructions="3号楼1单元电梯故障，请联系电梯维保"
                        "单位一起到场。")),
                ]),
        # XHW: acknowledged by engineering, visit not agreed yet
        dict(at=_ago(9), by='center_manager', unit=('XHW', '1-1-302'),
            channel='desk', kind='repair', category='construction_repair',
            warranty='decoration',
            description="主卧窗户的密封条脱落了，刮风的时候呼呼漏风，"
            "屋里很冷。",
            steps=[
                (2, 'register'),
                (1, 'dispatch', dict(department='engineering',
                        instructions="主卧窗户密封条脱落，保修期内。")),
                (2, 'acknowledge'),
                ]),
        # Registered, to be dispatched
        dict(at=_ago(6), by='receptionist', unit=('HYHY', '3-2-201'),
            channel='desk', kind='repair', category='construction_repair',
            warranty='heating',
            description="客厅地暖不热，温度一直上不来，"
            "分水器那里好像还有异响。",
            steps=[
                (2, 'register'),
                ]),
        # A suggestion typed in, not registered yet
        dict(at=_ago(3), by='receptionist', unit=('HYHY', '1-2-901'),
            channel='desk', kind='suggestion', category='opinion',
            description="建议小区东门晚上增加一个保安岗，外卖电动车进进出出"
            "太多，孩子在里面玩不安全。",
            steps=[]),
        ]


def _set_user(user):
    from proteus import Model
    from proteus import config as pconfig
    config = pconfig.get_config()
    config.user = int(user)
    config._context = Model.get('res.user').get_preferences(True, {})


def _spoken(number):
    "A mobile number the way the receptionist types it: '139 1234 5678'"
    digits = ''.join(c for c in number if c.isdigit())[-11:]
    return '%s %s %s' % (digits[:3], digits[3:7], digits[7:])


def _requests(users, departments):
    from proteus import Model
    Cron = Model.get('ir.cron')
    with _Clock() as clock:
        for story in _stories():
            _tell(story, clock, users, departments)
    # The scheduled escalation runs once, as it would have every minute
    _set_user(users['admin'])
    cron, = Cron.find([('method', '=', 'service_center.escalation|sweep')])
    cron.click('run_once')
    # This month's courtesy calls, as the scheduled action plans them on
    # the 1st
    cron, = Cron.find([
            ('method', '=', 'service_center.courtesy_call|plan_monthly')])
    cron.click('run_once')


# The centre's half-yearly survey: its questions with their weights, and
# the ratings (1 to 5) of the first owners of 海韵花园 who answered
SURVEY_QUESTIONS = [
    ("客服人员的服务态度", 1),
    ("报修处理是否及时", 2),
    ("小区环境与秩序", 1),
    ]
SURVEY_RATINGS = [
    ('5', '4', '4'),
    ('4', '2', '3'),
    ('5', '5', '4'),
    ('3', '3', '4'),
    ('4', '4', '5'),
    ]


def _survey(users):
    from proteus import Model
    Center = Model.get('service_center.center')
    Survey = Model.get('service_center.survey')
    Ownership = Model.get('service_center.ownership')
    _set_user(users['center_manager'])
    center, = Center.find([('code', '=', 'HYHY')])
    survey = Survey(name="%s半年度满意度调查" % center.name, center=center,
        kind='half_yearly')
    for text, weight in SURVEY_QUESTIONS:
        survey.questions.new(text=text, weight=weight)
    survey.save()
    survey.click('open')
    ownerships = Ownership.find([
            ('unit.project.code', '=', 'HYHY'), ('role', '=', 'owner')],
        order=[('unit.code', 'ASC')], limit=len(SURVEY_RATINGS))
    for ownership, ratings in zip(ownerships, SURVEY_RATINGS):
        response = survey.responses.new(
            party=ownership.party, unit=ownership.unit)
        for question, rating in zip(survey.questions, ratings):
            response.answers.new(question=question, rating=rating)
    survey.save()


# The owners of these units log in to the owner portal with their mobile
# number and the demo password
PORTAL_UNITS = [('HYHY', '1-1-101'), ('HYHY', '2-2-301')]


def _portal_owners():
    from proteus import Model
    WebUser = Model.get('web.user')
    Unit = Model.get('service_center.unit')
    _set_user(1)
    for project, code in PORTAL_UNITS:
        unit, = Unit.find([
                ('project.code', '=', project), ('code', '=', code)])
        owner = unit.owners[0]
        mobile, = [m for m in owner.contact_mechanisms if m.type == 'mobile']
        WebUser(party=owner, mobile=mobile.value, password=PASSWORD).save()


def portal_logins():
    "The owners of the portal: (mobile, name)"
    from proteus import Model
    WebUser = Model.get('web.user')
    return [(u.mobile, u.party.name)
        for u in WebUser.find([], order=[('id', 'ASC')])]


def _tell(story, clock, users, departments):
    "Play one request's story through the buttons"
    from proteus import Model
    Request = Model.get('service_center.request')
    Unit = Model.get('service_center.unit')
    WarrantyType = Model.get('service_center.warranty_type')

    clock.at = story['at']
    _set_user(users['admin'])
    project, code = story['unit']
    unit, = Unit.find([('project.code', '=', project), ('code', '=', code)])
    owner = unit.owners[0]
    mobile = next((m.value for m in owner.contact_mechanisms
            if m.type == 'mobile'), None)

    _set_user(users[story['by']])
    request = Request(
        kind=story['kind'], category=story['category'],
        channel=story['channel'])
    if story['channel'] == 'portal' or not mobile:
        request.party = Model.get('party.party')(owner.id)
    else:
        request.caller_phone = _spoken(mobile)
    if request.unit != Unit(unit.id):
        request.unit = Unit(unit.id)
    if story.get('location'):
        request.unit = None
        request.building = None
        request.project = Model.get('service_center.project')(
            unit.project.id)
        request.location = story['location']
    if story.get('priority'):
        request.priority = story['priority']
    if story.get('warranty'):
        request.warranty_type, = WarrantyType.find(
            [('code', '=', story['warranty'])])
    request.description = story['description']
    request.save()

    for step in story['steps']:
        when, action, *args = step
        if isinstance(when, dt.datetime):
            clock.at = when
        else:
            clock.at += dt.timedelta(minutes=when)
        _step(request.id, action, args[0] if args else {},
            story, users, departments)


def _step(request_id, action, values, story, users, departments):
    from proteus import Model
    Request = Model.get('service_center.request')
    WorkOrder = Model.get('service_center.work_order')
    Callback = Model.get('service_center.callback')
    Department = Model.get('service_center.department')
    staff = users[story['by']]

    if action in {'register', 'resolve_on_spot', 'dispatch', 'callback',
            'cancel'}:
        _set_user(users['center_manager'] if action == 'cancel' else staff)
        request = Request(request_id)
        if action == 'dispatch':
            orders = [(values['department'], values['instructions'])]
            if values.get('also'):
                orders.append(values['also'])
            for kind, instructions in orders:
                order = request.work_orders.new(
                    department=Department(departments[kind].id))
                order.instructions = instructions
            request.save()
        elif action == 'resolve_on_spot':
            request.answer = values['answer']
            request.save()
        elif action == 'cancel':
            request.cancel_reason = values['reason']
            request.save()
        elif action == 'callback':
            callback, = [c for c in request.callbacks if c.state == 'pending']
            callback = Callback(callback.id)
            callback.reached = True
            callback.confirmed_closed = values.get('fixed', True)
            callback.satisfaction = values['satisfaction']
            callback.comment = values['comment']
            callback.click('done')
            return
        request.click(action)
        return

    # The work order's steps, by the person whose job each one is
    _set_user(users['admin'])
    orders = WorkOrder.find([('request', '=', request_id)])
    if values.get('department'):
        orders = [o for o in orders
            if o.department.kind == values['department']]
    if action == 'reissue':
        orders = [o for o in orders if o.state == 'disputed']
    else:
        orders = [o for o in orders if o.pending]
    if not orders:
        raise RuntimeError("%s: no work order to %s" % (
                story['description'], action))
    order = max(orders, key=lambda o: o.id)
    if action == 'decide':
        _set_user(users['leadership'])
    elif action == 'reissue':
        _set_user(staff)
    else:
        _set_user(order.responsible)
    order = WorkOrder(order.id)
    if action == 'plan':
        order.visit_planned_at = values['visit']
    elif action == 'do':
        order.work_done = values['work_done']
        if values.get('cost'):
            order.cost = Decimal(values['cost'])
        order.signed_by = order.request.party.name
        order.signature = SIGNATURE
    elif action == 'dispute':
        order.dispute_reason = values['reason']
    elif action == 'decide':
        order.decision = values['decision']
        order.decision_department = Department(
            departments[values['to']].id)
        order.decision_note = values['note']
    order.click(action)


def print_logins(config_file, name):
    from proteus import config as pconfig
    from trytond import config
    pconfig.set_trytond(database=name, config_file=config_file)
    print()
    print("Demo database %r: every user's password is %r." % (name, PASSWORD))
    print("  admin (all rights)")
    for login, (user_name, _, _) in USERS.items():
        print("  %-17s %s" % (login, user_name))
    listen = config.get('web', 'listen', default='127.0.0.1:8000')
    print()
    print("Owner portal: http://%s/%s/portal/ (password %r)" % (
            listen, name, PASSWORD))
    for mobile, owner in portal_logins():
        print("  %-17s %s" % (mobile, owner))


def main():
    args = parse_args()
    os.environ['TRYTOND_CONFIG'] = args.config
    # proteus swaps the database name into this uri
    os.environ.setdefault('TRYTOND_DATABASE_URI', 'sqlite://')
    # Notifications wait in the queue: no mail server is needed to build
    os.environ.setdefault('TRYTOND_QUEUE__WORKER', 'True')
    from trytond import config
    config.update_etc(args.config)
    if not database_exists(args.database):
        create_database(args.database)
        try:
            initialise(args.config, args.database)
            load(args.config, args.database)
        except BaseException:
            drop_database(args.database)
            raise
    print_logins(args.config, args.database)


if __name__ == '__main__':
    main()
