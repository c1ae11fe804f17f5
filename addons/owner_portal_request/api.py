# This file is part of the coastal customer service project.
"""The owners' requests on the portal: the endpoints an owner submits,
follows, signs off and rates a request of the customer centre with"""
from owner_portal.api import (
    MAX_NAME,
    choice,
    endpoint,
    field_label,
    identifier,
    text,
    utc,
)
from owner_portal.exceptions import PortalError, PortalNotFound
from property_register.common import SERVICE_CATEGORIES
from service_center.common import REQUEST_KINDS
from werkzeug.wrappers import Response

from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta

from .photo import max_photo_bytes, photo_jpeg, signature_png

MODULE = 'owner_portal_request'
# Limits of what an owner types
MAX_LOCATION = 200
MAX_PHOTOS = 6


class PortalAPI(metaclass=PoolMeta):
    __name__ = 'owner_portal.api'

    @classmethod
    def pages(cls):
        return [cls.page(MODULE, name, 'requests')
            for name in ['requests', 'new']] + super().pages()

    @classmethod
    def static_modules(cls):
        return super().static_modules() + [MODULE]

    @classmethod
    @endpoint('GET', 'choices')
    def get_choices(cls, session):
        "What an owner may choose from when submitting a request"
        Request = Pool().get('service_center.request')
        kinds = dict(Request.fields_get(['kind'])['kind']['selection'])
        return {
            'kinds': [{'value': k, 'label': kinds[k]}
                for k, _ in REQUEST_KINDS],
            'categories': [{
                    'value': c,
                    'label': gettext(
                        'owner_portal_request.msg_category_%s' % c),
                    } for c, _ in SERVICE_CATEGORIES],
            'units': [{'id': u.id, 'name': u.rec_name}
                for u in cls._units(session)],
            'projects': sorted({(u.project.id, u.project.rec_name)
                    for u in cls._units(session)}),
            }

    @classmethod
    def _own_request(cls, session, request_id):
        "The owner's request of the id, or an error that says nothing more"
        Request = Pool().get('service_center.request')
        request_id = identifier(request_id)
        requests = Request.search([
                ('id', '=', request_id),
                ('party', '=', session.party.id),
                ('state', '!=', 'draft'),
                ], limit=1) if request_id else []
        if not requests:
            raise PortalNotFound(gettext('owner_portal.msg_not_found'))
        return requests[0]

    @classmethod
    def _photos(cls, request):
        Attachment = Pool().get('ir.attachment')
        return Attachment.search([
                ('resource', '=', str(request)),
                ('type', '=', 'data'),
                ], order=[('id', 'ASC')])

    @classmethod
    def _pending_callback(cls, request):
        "The centre's call-back the owner may answer on the portal"
        if request.state != 'resolved':
            return None
        for callback in request.callbacks:
            if callback.level == 'center' and callback.state == 'pending':
                return callback

    @classmethod
    def _request_summary(cls, request):
        return {
            'id': request.id,
            'number': request.number,
            'kind': request.kind_string,
            'category': gettext(
                'owner_portal_request.msg_category_%s' % request.category),
            'state': request.state,
            'state_label': request.state_string,
            'received_at': utc(request.received_at),
            'place': request.unit.rec_name if request.unit else ' '.join(
                filter(None, [request.project.rec_name, request.location])),
            'description': request.description,
            }

    @classmethod
    @endpoint('GET', 'requests')
    def get_requests(cls, session):
        Request = Pool().get('service_center.request')
        requests = Request.search([
                ('party', '=', session.party.id),
                ('state', '!=', 'draft'),
                ], order=[('received_at', 'DESC'), ('id', 'DESC')], limit=200)
        return {'requests': [cls._request_summary(r) for r in requests]}

    @classmethod
    @endpoint('GET', 'requests/<request_id>')
    def get_request(cls, session, request_id):
        request = cls._own_request(session, request_id)
        result = cls._request_summary(request)
        result['deadlines'] = [{
                'target': d.target_string,
                'due_at': utc(d.due_at),
                'met_at': utc(d.met_at),
                'state': d.state,
                'state_label': d.state_string,
                } for d in request.deadlines
            if d.state != 'void' and not d.work_order]
        result['work_orders'] = [{
                'id': o.id,
                'department': o.department.rec_name,
                'state': o.state,
                'state_label': o.state_string,
                'visit_planned_at': utc(o.visit_planned_at),
                'done_at': utc(o.done_at),
                'signed': bool(o.signed_at),
                'can_sign': o.state == 'scheduled',
                } for o in request.work_orders if o.state != 'cancelled']
        result['timeline'] = cls._timeline(request)
        result['photos'] = [a.id for a in cls._photos(request)]
        result['can_rate'] = bool(cls._pending_callback(request))
        return result

    @classmethod
    @endpoint('GET', 'photos/<photo_id>')
    def get_photo(cls, session, photo_id):
        "A photo of one of the owner's requests"
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        Request = pool.get('service_center.request')
        photo_id = identifier(photo_id)
        photos = Attachment.search([
                ('id', '=', photo_id),
                ('type', '=', 'data'),
                ]) if photo_id else []
        if (not photos or not isinstance(photos[0].resource, Request)
                or photos[0].resource.party != session.party):
            raise PortalNotFound(gettext('owner_portal.msg_not_found'))
        return Response(photos[0].data, content_type='image/jpeg',
            headers={'Cache-Control': 'private, max-age=3600'})

    @classmethod
    @endpoint('POST', 'work_orders/<order_id>/sign')
    def sign(cls, session, order_id):
        """The owner signs the finished work on the phone: the work order
        is done, with the same rule as at the desk"""
        WorkOrder = Pool().get('service_center.work_order')
        order_id = identifier(order_id)
        orders = WorkOrder.search([
                ('id', '=', order_id),
                ('request.party', '=', session.party.id),
                ]) if order_id else []
        if not orders:
            raise PortalNotFound(gettext('owner_portal.msg_not_found'))
        order, = orders
        if order.state != 'scheduled':
            raise PortalError(gettext(
                    'owner_portal_request.msg_sign_not_now'))
        data = session.data
        order.signed_by = text(data, 'name', length=MAX_NAME)
        order.signature = signature_png(data.get('signature'))
        with cls._as_portal():
            order.save()
            WorkOrder.do([order])
        return cls.get_request(session, order.request.id)

    @classmethod
    @endpoint('POST', 'requests/<request_id>/rate')
    def rate(cls, session, request_id):
        """The owner confirms the fix and says how satisfied: the centre's
        call-back, answered on the portal"""
        Callback = Pool().get('service_center.callback')
        request = cls._own_request(session, request_id)
        callback = cls._pending_callback(request)
        if not callback:
            raise PortalError(gettext(
                    'owner_portal_request.msg_rate_not_now'))
        data = session.data
        confirmed = data.get('confirmed')
        if not isinstance(confirmed, bool):
            raise PortalError(gettext(
                    'owner_portal.msg_field_invalid',
                    field=field_label('confirmed', MODULE)))
        satisfaction = choice(data, 'satisfaction', [
                k for k, _ in Callback.satisfaction.selection if k],
            module=MODULE)
        callback.reached = True
        callback.confirmed_closed = confirmed
        callback.satisfaction = satisfaction
        callback.comment = text(
            data, 'comment', required=False, module=MODULE)
        callback.channel = 'portal'
        with cls._as_portal():
            callback.save()
            Callback.done([callback])
        return cls.get_request(session, request.id)

    @classmethod
    def _timeline(cls, request):
        "What happened, for the owner's eyes: no internal notes"
        def event(at, message, **values):
            if at:
                events.append((at, gettext(
                            'owner_portal_request.msg_event_%s' % message,
                            **values)))
        events = []
        event(request.received_at, 'received', number=request.number)
        for order in request.work_orders:
            if order.state == 'cancelled':
                continue
            department = order.department.rec_name
            event(order.dispatched_at, 'dispatched', department=department)
            event(order.acknowledged_at, 'acknowledged',
                department=department)
            if order.visit_planned_at:
                event(order.contacted_at, 'visit_planned',
                    department=department)
            event(order.on_site_at, 'on_site', department=department)
            event(order.signed_at, 'signed', name=order.signed_by or '')
        event(request.resolved_at, 'resolved')
        for callback in request.callbacks:
            if callback.state == 'done' and callback.reached:
                event(callback.done_at, 'called_back')
        event(request.closed_at, 'closed')
        if request.state == 'cancelled':
            event(request.write_date, 'cancelled')
        events.sort(key=lambda e: e[0])
        return [{'at': utc(at), 'text': message} for at, message in events]

    @classmethod
    @endpoint('POST', 'requests')
    def submit_request(cls, session):
        """Register the owner's request as the desk would, through the
        portal channel"""
        pool = Pool()
        Request = pool.get('service_center.request')
        Project = pool.get('service_center.project')
        ModelData = pool.get('ir.model.data')
        Attachment = pool.get('ir.attachment')
        data = session.data
        units = {u.id: u for u in cls._units(session)}
        unit = units.get(identifier(data.get('unit')))
        if data.get('unit') not in (None, '') and not unit:
            raise PortalNotFound(gettext('owner_portal.msg_not_found'))
        location = text(data, 'location', required=not unit,
            length=MAX_LOCATION, module=MODULE)
        if unit:
            project = unit.project
        else:
            projects = {u.project.id for u in units.values()}
            project_id = identifier(data.get('project'))
            if project_id not in projects:
                raise PortalError(gettext(
                        'owner_portal.msg_field_required',
                        field=field_label('project', MODULE)))
            project = Project(project_id)
        photos = cls._uploaded_photos(session)
        request = Request(
            kind=choice(
                data, 'kind', [k for k, _ in REQUEST_KINDS], module=MODULE),
            category=choice(
                data, 'category', [c for c, _ in SERVICE_CATEGORIES],
                module=MODULE),
            description=text(data, 'description', module=MODULE),
            channel='portal',
            party=session.party,
            unit=unit,
            project=project,
            location=location,
            received_by=ModelData.get_id('owner_portal', 'user_portal'),
            )
        request.on_change_unit()
        request.save()
        Request.register([request])
        Attachment.save([Attachment(
                    resource=request, type='data',
                    name='photo-%d.jpg' % i, data=photo)
                for i, photo in enumerate(photos, 1)])
        return cls._request_summary(Request(request.id))

    @classmethod
    def _uploaded_photos(cls, session):
        "The request's photos, each decoded and encoded again"
        files = session.request.files.getlist('photos')
        if len(files) > MAX_PHOTOS:
            raise PortalError(gettext(
                    'owner_portal_request.msg_photo_count', count=MAX_PHOTOS))
        return [photo_jpeg(file.stream.read(max_photo_bytes() + 1))
            for file in files]
