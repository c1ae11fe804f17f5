# This file is part of the coastal customer service project.
from trytond.pool import Pool, PoolMeta


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.domain.help += (
            '\n- "service_projects" as list of ids of the property projects '
            'the user works for'
            '\n- "service_centers" as list of ids of the customer centres '
            'the user works for'
            '\n- "service_departments" as list of ids of the back-factory '
            'departments the user answers for')

    @classmethod
    def _get_cache_key(cls, model_names):
        pool = Pool()
        User = pool.get('res.user')
        key = super()._get_cache_key(model_names)
        scope = User.get_service_scope()
        return (*key, tuple(scope['projects']), tuple(scope['centers']),
            tuple(scope['departments']))

    @classmethod
    def _get_context(cls, model_name):
        pool = Pool()
        User = pool.get('res.user')
        context = super()._get_context(model_name)
        scope = User.get_service_scope()
        context['service_projects'] = scope['projects']
        context['service_centers'] = scope['centers']
        context['service_departments'] = scope['departments']
        return context


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('service_center.escalation|sweep',
                    "Escalate Overdue Requests"),
                ('service_center.alarm|check_all',
                    "Check Same-Problem Alarms"),
                ])
