# This file is part of the coastal customer service project.
"""Create the demo database once, with its data; a second run only prints
the logins.

    .venv/bin/python data/demo.py -c trytond.conf -d demo

The database backend comes from TRYTOND_DATABASE_URI (SQLite by default,
files under TRYTOND_DATABASE__PATH).
"""
import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ADMIN_EMAIL = 'admin@example.com'
PASSWORD = 'demo2026'
LANGUAGE = 'zh_CN'
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
    }
DEPARTMENTS = [
    ("销售案场", 'sales'),
    ("工程整改组", 'engineering'),
    ("设计院", 'design'),
    ("物业安保部", 'property_security'),
    ("物业维修部", 'property_maintenance'),
    ("物业保洁部", 'cleaning'),
    ("防水专业分包", 'contractor'),
    ]


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
                '-u', 'service_center', '--activate-dependencies',
                '-l', LANGUAGE,
                ], env=env, check=True)


def load(config_file, name):
    from proteus import config as pconfig
    pconfig.set_trytond(database=name, config_file=config_file)
    company = _company()
    users = _users(company)
    region, projects = _register(company, users)
    _departments(region, users)
    _centers(region, projects, users)
    _import_roster()
    _finish_configuration()


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
    Department.save([
            Department(
                name=name, kind=kind, region=region,
                responsible=users['responder'], head=users['leadership'])
            for name, kind in DEPARTMENTS])


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


def print_logins(name):
    print()
    print("Demo database %r: every user's password is %r." % (name, PASSWORD))
    print("  admin (all rights)")
    for login, (user_name, _, _) in USERS.items():
        print("  %-17s %s" % (login, user_name))


def main():
    args = parse_args()
    os.environ['TRYTOND_CONFIG'] = args.config
    # proteus swaps the database name into this uri
    os.environ.setdefault('TRYTOND_DATABASE_URI', 'sqlite://')
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
    print_logins(args.database)


if __name__ == '__main__':
    main()
