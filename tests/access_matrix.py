# This file is part of the coastal customer service project.
"""Try every RPC verb of every model of our modules and of the owners
(party.party) as the receptionist of 海韵花园 and as headquarters, on the
demo database, and print the outcome as JSON.

    access_matrix.py CONFIG DATABASE

The receptionist serves 海韵花园 only: every record of 星海湾壹号 (found
through the first relation path that leads a model to a project) must be
refused to her or not returned, by search, search_count, read, export_data
(with a path through each relation), copy, create, write, delete and every
button; her own project's records must be readable and exportable wherever
read allows. Headquarters read everything and change nothing but their own
pending sampled call-backs. Each attempt runs in a transaction of its own
that is rolled back, through the RPC layer: trytond's RPC.convert (the
context, _check_access, the instantiation) as the JSON-RPC dispatcher does.
"""
import collections
import json
import sys

from trytond import config
from trytond.exceptions import UserError
from trytond.model import ModelSingleton, ModelSQL
from trytond.model.exceptions import AccessButtonError, AccessError
from trytond.pool import Pool
from trytond.rpc import RPC
from trytond.tools import is_instance_method
from trytond.transaction import Transaction, TransactionError

OUR_MODULES = {
    'property_register', 'service_outbox', 'service_center',
    'service_supervision', 'service_kpi', 'owner_portal',
    'owner_portal_request'}
EXTRA_MODELS = {'party.party'}
HOME, OTHER = 'HYHY', 'XHW'
# A caller of 星海湾壹号 and one of 海韵花园, as the receptionist types them
CALLERS = ['132 1487 9094', '182 2958 7039']
# The roles that read and change nothing of the customer centre
READ_ONLY = ['hq', 'club_coordinator', 'magazine_editor']
# A sample of each model is enough: the rules are per model
SAMPLE = 3
RELATIONS = {'many2one', 'one2many', 'many2many', 'one2one'}
# How a model reaches a project, besides its many2one fields
EXTRA_PATHS = {
    'party.party': ['ownerships.unit.project', 'service_requests.project'],
    'service_center.center': ['projects'],
    }


class Outcome:
    def __init__(self):
        self.attempts = 0
        self.counts = collections.Counter()
        self.leaks = []

    def record(self, kind, detail, leaked):
        self.attempts += 1
        self.counts[kind] += 1
        if leaked:
            self.leaks.append(detail)


def call(database, user, model, method, *args):
    """Call the method as the RPC dispatcher would; return ('ok', result),
    ('refused', message) or ('error', message), always rolled back"""
    Model = Pool(database).get(model)
    if method in Model.__rpc__:
        rpc = Model.__rpc__[method]
    elif method in getattr(Model, '_buttons', {}):
        rpc = RPC(readonly=False, instantiate=0)
    else:
        # The dispatcher answers that the method is not callable
        return 'refused', 'not callable'

    extras = {}
    while True:
        with Transaction().start(
                database, user, readonly=False, **extras) as transaction:
            try:
                return _run(Model, method, rpc, args)
            except TransactionError as exception:
                transaction.rollback()
                exception.fix(extras)
                continue
            finally:
                transaction.rollback()


def _run(Model, method, rpc, args):
    transaction = Transaction()
    try:
        c_args, c_kwargs, transaction.context, _ = rpc.convert(
            Model, *args, {})
        meth = getattr(Model, method)
        if (rpc.instantiate is None
                or not is_instance_method(Model, method)):
            result = rpc.result(meth(*c_args, **c_kwargs))
        else:
            inst = c_args.pop(0)
            result = [rpc.result(meth(i, *c_args, **c_kwargs))
                for i in inst]
        return 'ok', result
    except (AccessError, AccessButtonError) as exception:
        return 'refused', exception.message
    except UserError as exception:
        return 'error', exception.message
    except (NotImplementedError, TypeError, ValueError,
            KeyError) as exception:
        # What the dispatcher answers as a fault, changing nothing
        return 'error', repr(exception)


def path_to(Model, target):
    "The first stored path of the model to the target model, or None"
    pool = Pool()
    if Model.__name__ == target:
        return 'id'
    queue = collections.deque([(Model, '', 0)])
    seen = {Model.__name__}
    while queue:
        Current, prefix, depth = queue.popleft()
        names = sorted(Current._fields,
            key=lambda n: (n not in Current.__access__, n))
        for name in names:
            field = Current._fields[name]
            if field._type != 'many2one' or hasattr(field, 'getter'):
                continue
            path = prefix + name
            if field.model_name == target:
                return path
            if field.model_name not in seen and depth < 3:
                seen.add(field.model_name)
                queue.append(
                    (pool.get(field.model_name), path + '.', depth + 1))
    return None


def search_ids(Model, domain):
    with Transaction().set_context(active_test=False):
        return [r.id for r in Model.search(domain, order=[('id', 'ASC')])]


def project_scope(Model, home, other):
    """The ids of the model's records of the home project and of the other
    project only"""
    paths = [p for p in EXTRA_PATHS.get(Model.__name__, [])
        if p.split('.')[0] in Model._fields]
    path = path_to(Model, 'service_center.project')
    if path:
        paths.append(path)
    if not paths:
        return [], []

    def of(project):
        return search_ids(Model, ['OR'] + [(p, '=', project) for p in paths])
    inside = of(home)
    return inside, [i for i in of(other) if i not in set(inside)]


def department_scope(Model, department):
    """The ids of the model's records of requests with a work order of the
    department, and of the other requests"""
    path = path_to(Model, 'service_center.request')
    if not path:
        return [], []
    prefix = '' if path == 'id' else path + '.'
    field = Model._fields.get('department')
    if field and getattr(field, 'model_name', None) == (
            'service_center.department'):
        # A work order is the department's own, whatever its request
        inside = search_ids(Model, [('department', '=', department)])
    else:
        inside = search_ids(
            Model, [(prefix + 'work_orders.department', '=', department)])
    return inside, search_ids(
        Model, [(path, '!=', None), ('id', 'not in', inside)])


def export_paths(Model):
    paths = ['rec_name']
    for name, field in sorted(Model._fields.items()):
        if field._type in RELATIONS:
            paths.append('%s/rec_name' % name)
    return paths


def copy_values(Model, record_id):
    "The stored values of the record, as a create would give them"
    values, = Model.read([record_id], [
            n for n, f in Model._fields.items()
            if not hasattr(f, 'getter') and n not in {
                'id', 'create_uid', 'create_date', 'write_uid',
                'write_date'}
            and f._type not in {'one2many', 'many2many', 'binary'}])
    values.pop('id', None)
    return values


def writable_values(Model, record_id):
    "A write of the record's own value to a field the form lets users edit"
    for name, field in sorted(Model._fields.items()):
        if (field._type in {'char', 'text', 'integer', 'numeric',
                    'many2one', 'selection', 'boolean', 'date'}
                and not field.readonly and not hasattr(field, 'getter')
                and name not in {'id', 'state'}
                and not name.endswith('_date')):
            value, = Model.read([record_id], [name])
            return {name: value[name]}
    return {}


def models(pool):
    IrModel = pool.get('ir.model')
    names = {m.name for m in IrModel.search([
                ('module', 'in', list(OUR_MODULES))])} | EXTRA_MODELS
    result = []
    for name in sorted(names):
        Model = pool.get(name)
        if issubclass(Model, ModelSQL):
            result.append(Model)
    return result


def try_refused(outcome, database, user, Model, ids, role, where):
    "Every verb on ids must be refused or return nothing"
    name = Model.__name__

    def attempt(verb, *args, leak_if=lambda r: True):
        kind, result = call(database, user, name, verb, *args)
        leaked = kind == 'ok' and leak_if(result)
        outcome.record(
            '%s %s' % (verb, kind), '%s %s %s %s %s: %r' % (
                role, where, name, verb, args[:2], result), leaked)

    attempt('search', [('id', 'in', ids)], 0, None, None,
        leak_if=lambda r: bool(r))
    attempt('search_count', [('id', 'in', ids)],
        leak_if=lambda r: r != 0)
    attempt('read', ids, ['rec_name'])
    for path in export_paths(Model):
        attempt('export_data', ids, [path])
    try_changes(attempt, database, Model, ids)


def try_changes(attempt, database, Model, ids):
    """Attempt every change of the records: a write of a field's own value,
    a create of their copy's values, delete, copy and each button"""
    with Transaction().start(database, 0, readonly=True), \
            Transaction().set_context(active_test=False):
        values = writable_values(Model, ids[0])
        create = copy_values(Model, ids[0])
    if values:
        attempt('write', ids, values)
    attempt('create', [create])
    attempt('delete', ids)
    attempt('copy', ids)
    for button in sorted(getattr(Model, '_buttons', {})):
        attempt(button, ids)


def try_inside(outcome, database, user, Model, ids, role):
    """The role's own records are found and read, and an export never
    returns what read of the same path refuses"""
    name = Model.__name__
    if 'search' not in Model.__rpc__ or issubclass(Model, ModelSingleton):
        # Not served to any client, or one record that search, copy and
        # delete never change
        return
    kind, found = call(database, user, name, 'search',
        [('id', 'in', ids)], 0, None, None)
    outcome.record('inside search ' + kind, '%s %s search: %r' % (
            role, name, found), kind != 'ok' or sorted(found) != ids)
    kind, rows = call(database, user, name, 'read', ids, ['rec_name'])
    outcome.record('inside read ' + kind, '%s %s read: %r' % (
            role, name, rows), kind != 'ok')
    for path in export_paths(Model):
        read_path = path.replace('/', '.')
        read_kind, _ = call(database, user, name, 'read', ids, [read_path])
        kind, result = call(database, user, name, 'export_data', ids, [path])
        outcome.record('inside export ' + kind, '%s %s export %s: %r' % (
                role, name, path, result),
            kind == 'ok' and read_kind != 'ok')


def main(config_file, database):
    config.update_etc(config_file)
    pool = Pool(database)
    pool.init()
    outcome = Outcome()
    with Transaction().start(database, 0, readonly=True):
        User = pool.get('res.user')
        Project = pool.get('service_center.project')
        Department = pool.get('service_center.department')
        users = {u.login: u.id for u in User.search([])}
        home, = Project.search([('code', '=', HOME)])
        other, = Project.search([('code', '=', OTHER)])
        department, = Department.search(
            [('responsible', '=', users['responder'])])
        plan = []
        for Model in models(pool):
            everything = search_ids(Model, [])[:SAMPLE]
            final = sorted(getattr(Model, '_final_states', []))
            plan.append((Model,
                    project_scope(Model, home.id, other.id),
                    department_scope(Model, department.id),
                    search_ids(Model, [('state', 'in', final)])[:SAMPLE]
                    if final else [],
                    everything))
    covered = collections.defaultdict(list)
    for Model, project, department, final, everything in plan:
        for role, (inside, outside) in [
                ('receptionist', project), ('responder', department)]:
            if outside:
                try_refused(outcome, database, users[role], Model,
                    outside[:SAMPLE], role, 'outside')
                covered[role + ' outside'].append(Model.__name__)
            if inside:
                try_inside(outcome, database, users[role], Model,
                    inside[:SAMPLE], role)
                covered[role + ' inside'].append(Model.__name__)
        if final:
            for role in ['receptionist', 'center_manager', 'leadership']:
                try_final(outcome, database, users[role], Model, final, role)
            covered['final'].append(Model.__name__)
        if everything:
            try_inside(outcome, database, users['hq'], Model, everything,
                'hq')
            covered['hq'].append(Model.__name__)
            for role in READ_ONLY:
                try_read_only(
                    outcome, database, users[role], role, Model, everything)
    recognised = {
        role: {number: recognise(database, users[role], number)
            for number in CALLERS}
        for role in ['receptionist', 'hq']}
    json.dump({
            'recognised': recognised,
            'attempts': outcome.attempts,
            'counts': dict(outcome.counts),
            'models': len(plan),
            'covered': dict(covered),
            'leaks': outcome.leaks,
            }, sys.stdout, ensure_ascii=False, indent=1)


def recognise(database, user, number):
    """The Who Is Calling? wizard run by the user through its RPC verbs:
    the callers' text and the names of the owners and units it links"""
    pool = Pool(database)
    Wizard = pool.get('service_center.caller_lookup', type='wizard')
    with Transaction().start(database, user) as transaction:
        transaction.set_context(_check_access=True)
        session_id, _, _ = Wizard.create()
        result = Wizard.execute(
            session_id, {'start': {'phone': number}}, 'lookup')
        values = result['view']['defaults']
        Party = pool.get('party.party')
        Unit = pool.get('service_center.unit')
        with Transaction().set_user(0):
            found = {
                'callers': values['callers'],
                'parties': [p.name for p in Party.browse(values['parties'])],
                'units': [u.rec_name for u in Unit.browse(values['units'])],
                }
        transaction.rollback()
    return found


def try_final(outcome, database, user, Model, ids, role):
    """A record in its final state (a done call-back, a closed request) is
    the evidence: no one writes it"""
    name = Model.__name__
    with Transaction().start(database, 0, readonly=True), \
            Transaction().set_context(active_test=False):
        values = writable_values(Model, ids[0])
    kind, result = call(database, user, name, 'write', ids, values)
    outcome.record('final write ' + kind, '%s final %s write %s: %r' % (
            role, name, values, result), kind == 'ok')


def try_read_only(outcome, database, user, role, Model, ids):
    """Headquarters, the club and the magazine change nothing of the
    customer centre; headquarters record their own pending sampled
    call-backs"""
    name = Model.__name__
    own = set()
    if name == 'service_center.callback' and role == 'hq':
        with Transaction().start(database, 0, readonly=True):
            own = {c.id for c in Model.browse(ids)
                if c.level == 'hq' and c.state == 'pending'}
    others = [i for i in ids if i not in own]
    if not others or issubclass(Model, ModelSingleton):
        return

    def attempt(verb, *args):
        kind, result = call(database, user, name, verb, *args)
        outcome.record('%s %s %s' % (role, verb, kind), '%s %s %s %s %s: %r'
            % (role, kind, name, verb, args[:2], result), kind == 'ok')

    try_changes(attempt, database, Model, others)


if __name__ == '__main__':
    main(*sys.argv[1:])
