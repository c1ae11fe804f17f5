# This file is part of the coastal customer service project.
"""Owner rosters as the sales system exports them, for the demo, the tests
and the benchmarks.

    .venv/bin/python data/rosters.py     # rewrites the sample files here

roster_sample.xls: 200 good rows over the two demo projects.
roster_errors.xls: good rows mixed with the mistakes offices make.
"""
import datetime as dt
import os
import random

HEADER = [
    '项目编码', '楼栋', '单元', '楼层', '房号', '面积', '交房日期', '业主姓名',
    '证件号码', '电话', '邮箱']
HERE = os.path.dirname(os.path.abspath(__file__))

SURNAMES = (
    '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡'
    '余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯'
    '龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤')
GIVEN = (
    '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉浩'
    '宇轩博文俊晨欣怡梓涵子墨雨桐思远嘉怡一诺欣然浩然佳琪')
MOBILE_PREFIXES = [
    '130', '131', '132', '135', '136', '137', '138', '139', '150', '151',
    '152', '158', '159', '182', '183', '186', '187', '188', '189', '199']
# Dalian: the demo region is a coastal city company
LANDLINE_AREA = '0411'
ID_AREA = '210202'
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = '10X98765432'

# code, buildings, entrances, floors, rooms per floor, handover per building
PROJECTS = {
    'HYHY': {
        'buildings': 3, 'entrances': 2, 'floors': 10, 'rooms': 2,
        'handover': {1: dt.date(2022, 6, 30), 2: dt.date(2022, 6, 30),
            3: dt.date(2023, 12, 28)}},
    'XHW': {
        'buildings': 2, 'entrances': 2, 'floors': 10, 'rooms': 2,
        'handover': {1: dt.date(2026, 9, 30), 2: dt.date(2027, 6, 30)}},
    }


def resident_id(rng, birth):
    body = '%s%s%03d' % (ID_AREA, birth.strftime('%Y%m%d'),
        rng.randrange(1, 999))
    check = ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS)) % 11]
    return body + check


def mobile(rng):
    return rng.choice(MOBILE_PREFIXES) + '%08d' % rng.randrange(10 ** 8)


def spoken(number, rng):
    "The ways clerks type a mobile number"
    style = rng.randrange(4)
    if style == 0:
        return '%s %s %s' % (number[:3], number[3:7], number[7:])
    if style == 1:
        return '+86-' + number
    if style == 2:
        return '86' + number
    return number


def owner(rng):
    name = rng.choice(SURNAMES) + ''.join(
        rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
    birth = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(16000))
    if rng.random() < 0.05:
        id_number = 'E%08d' % rng.randrange(10 ** 8)
    else:
        id_number = resident_id(rng, birth)
    phones = [mobile(rng)]
    if rng.random() < 0.2:
        phones.append('%s-%s' % (
                LANDLINE_AREA, '8%07d' % rng.randrange(10 ** 7)))
    return {'name': name, 'id': id_number, 'phones': phones}


def units(projects=None):
    "Yield (project, building, entrance, floor, room) of every unit"
    for code, project in (projects or PROJECTS).items():
        for building in range(1, project['buildings'] + 1):
            for entrance in range(1, project['entrances'] + 1):
                for floor in range(1, project['floors'] + 1):
                    for room in range(1, project['rooms'] + 1):
                        yield (code, building, entrance, floor,
                            '%d%02d' % (floor, room))


def rows(count=None, seed=42, projects=None):
    "Yield roster rows (lists in HEADER order), one owner per unit"
    rng = random.Random(seed)
    projects = projects or PROJECTS
    previous = None
    for index, (code, building, entrance, floor, room) in enumerate(
            units(projects)):
        if count is not None and index >= count:
            break
        # Some owners buy two units
        if previous and rng.random() < 0.03:
            person = previous
        else:
            person = owner(rng)
        previous = person
        handover = projects[code]['handover']
        if isinstance(handover, dict):
            handover = handover[building]
        phones = [spoken(p, rng) if '-' not in p else p
            for p in person['phones']]
        yield [
            code, str(building), str(entrance), floor, room,
            round(rng.uniform(60, 180), 2), handover, person['name'],
            person['id'], ' / '.join(phones),
            ('owner%d@example.com' % index) if rng.random() < 0.3 else '']


def error_rows():
    "Good rows and deliberate mistakes; see the tests for what each one is"
    good = list(rows(count=6))
    conflicting = list(good[0])
    conflicting[7], conflicting[8] = '钱多多', '210202198001010014'
    same_id = list(good[2])
    same_id[4], same_id[7] = '9901', '另一人'
    return good[:3] + [
        ['NOPE', '1', '1', 1, '101', 90, dt.date(2022, 6, 30), '赵一',
            '', '13900000001', ''],
        ['HYHY', '1', '1', 1, '199', 90, '2022-13-45', '钱二', '',
            '13900000002', ''],
        ['HYHY', '1', '1', 1, '198', 90, dt.date(2022, 6, 30), '孙三', '',
            '12345', ''],
        ['HYHY', '1', '1', 1, '197', 90, dt.date(2022, 6, 30), '', '',
            '13900000004', ''],
        ['HYHY', '1', '1', 1, '196', 'abc', dt.date(2022, 6, 30), '周五',
            '', '13900000005', ''],
        conflicting,
        same_id,
        ['HYHY', '1', '1', 1, '195', 88, dt.date(2022, 6, 30), '吴六', '',
            '13900000006', 'not-an-email'],
        ] + good[3:]


def write_xls(path, rows_, sheet_rows=60000):
    "Write rows under HEADER, in as many sheets as the .xls format needs"
    import xlwt
    book = xlwt.Workbook(encoding='utf-8')
    date_style = xlwt.easyxf(num_format_str='YYYY-MM-DD')
    sheet = None
    for index, row in enumerate(rows_):
        if index % sheet_rows == 0:
            sheet = book.add_sheet('名册%d' % (index // sheet_rows + 1))
            for column, title in enumerate(HEADER):
                sheet.write(0, column, title)
        for column, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write(index % sheet_rows + 1, column, value, date_style)
            else:
                sheet.write(index % sheet_rows + 1, column, value)
    if sheet is None:
        sheet = book.add_sheet('名册1')
        for column, title in enumerate(HEADER):
            sheet.write(0, column, title)
    book.save(path)


def write_xlsx(path, rows_):
    import openpyxl
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet('名册')
    sheet.append(HEADER)
    for row in rows_:
        sheet.append(row)
    book.save(path)


def write_csv(path, rows_):
    import csv
    with open(path, 'w', encoding='utf-8-sig', newline='') as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for row in rows_:
            writer.writerow([
                    v.isoformat() if isinstance(v, dt.date) else v
                    for v in row])


if __name__ == '__main__':
    write_xls(os.path.join(HERE, 'roster_sample.xls'), rows())
    write_xls(os.path.join(HERE, 'roster_errors.xls'), error_rows())
    print('wrote roster_sample.xls (%d rows) and roster_errors.xls' % (
            len(list(rows()))))
