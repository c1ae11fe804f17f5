/* This file is part of the coastal customer service project. */
/*
 * The owner's requests: the list, one request with its photos, the
 * sign-off of a work order and the rating of the work, and a new request
 * with its photos (pages 'requests' and 'new' of owner_portal_request).
 *
 * The pages offer hooks where later slices plug in (Portal.hook(name, fn)):
 *   'request-form'    (extra, form)      add fields to the new request form
 *   'request-submit'  (body, form, files)  add to the JSON body before
 *                     POST, or File objects to files: the request is then
 *                     sent as multipart/form-data (JSON in "data", the
 *                     files as "photos")
 *   'request-created' (request, form)    after POST, e.g. upload photos
 *   'request-detail'  (view, request)    add sections to a request's page
 *   'work-order'      (item, order, request)  add to a work order, e.g. sign
 */
'use strict';

(() => {
    const {el, t} = Portal;
    const EXCERPT = 60;  // characters of the description in the list
    // The server's limits on the photos of a request
    // (owner_portal_request.api)
    const MAX_PHOTOS = 6;
    const MAX_PHOTO_MB = 10;
    // The owner's answers to the centre's call-back, best first
    const SATISFACTION = [
        'very_satisfied', 'satisfied', 'fairly_satisfied', 'dissatisfied',
        'very_dissatisfied'];

    Portal.stylesheet('owner_portal_request/requests.css');
    Portal.strings({
        zh_CN: {
            'requests.new': '提交新诉求',
            'requests.empty': '您还没有提交过诉求。',
            'request.title': '诉求 {number}',
            'request.back': '返回我的诉求',
            'request.state': '状态',
            'request.kind': '类型',
            'request.category': '关于',
            'request.place': '地点',
            'request.received': '受理时间',
            'request.description': '问题描述',
            'request.deadlines': '服务时限',
            'request.work_orders': '派工',
            'request.timeline': '处理进度',
            'request.created': '诉求已提交，编号 {number}。',
            'deadline.due': '期限 {at}',
            'deadline.met': '已于 {at} 完成',
            'deadline.pending': '处理中',
            'deadline.breached': '已超时',
            'work_order.visit': '预约上门：{at}',
            'work_order.done': '完成时间：{at}',
            'work_order.signed': '您已签字确认',
            'work_order.none': '还没有派工。',
            'timeline.empty': '还没有处理记录。',
            'request.photos': '照片',
            'request.photo': '照片 {index}/{count}',
            'request.photo_open': '查看照片 {index}/{count} 的大图',
            'photos.label': '照片（选填）',
            'photos.hint': '最多 {max} 张，每张不超过 {size} MB。拍下问题所在，可以帮助我们更快处理。',
            'photos.add': '添加照片',
            'photos.count': '已选 {count}/{max} 张照片',
            'photos.too_many': '每条诉求最多 {max} 张照片，有 {extra} 张没有添加。',
            'photos.too_big': '“{name}”超过 {size} MB，没有添加。',
            'photos.not_image': '“{name}”不是照片，没有添加。',
            'photos.preview': '照片 {index}：{name}',
            'photos.no_preview': '无法预览',
            'photos.remove': '移除',
            'photos.remove_label': '移除照片 {index}：{name}',
            'photos.removed': '已移除“{name}”。',
            'sign.title': '签字确认完工',
            'sign.intro': '请先确认维修已经完成，再签字。签字后这张派工单即完成。',
            'sign.name': '您的姓名',
            'sign.pad': '签名',
            'sign.pad_hint': '请用手指（或鼠标）在下面的框内签名。',
            'sign.pad_label': '签名框',
            'sign.clear': '清除重签',
            'sign.submit': '确认完工并提交签名',
            'sign.blank': '请先在框内签名再提交。',
            'sign.done': '已签字确认完工，谢谢！',
            'rate.title': '评价本次服务',
            'rate.intro': '维修已经完成，请告诉我们结果。',
            'rate.fixed': '问题真的解决了吗？',
            'rate.yes': '是，已经解决',
            'rate.no': '没有，问题还在',
            'rate.satisfaction': '您对本次服务满意吗？',
            'rate.very_satisfied': '非常满意',
            'rate.satisfied': '满意',
            'rate.fairly_satisfied': '基本满意',
            'rate.dissatisfied': '不满意',
            'rate.very_dissatisfied': '非常不满意',
            'rate.comment': '还有什么想告诉我们的？（选填）',
            'rate.submit': '提交评价',
            'rate.closed': '谢谢您的评价，这条诉求已关闭。',
            'rate.reopened': '谢谢您告诉我们。诉求已重新打开，我们会尽快跟进。',
            'rate.thanks': '谢谢您的评价！',
            'new.where': '地点',
            'new.common': '公共区域',
            'new.project': '小区',
            'new.location': '具体位置',
            'new.location_unit_hint': '选填，例如：厨房、主卧阳台',
            'new.location_common_hint': '例如：3 号楼大堂、地下车库 B2 层',
            'new.kind': '类型',
            'new.category': '关于什么',
            'new.description': '问题描述',
            'new.description_hint': '请说明发生了什么、具体在哪里、从什么时候开始。',
            'new.choose': '请选择',
            'new.submit': '提交诉求',
            'new.no_home': '没有找到您名下的房屋，请联系客户中心。',
        },
        en: {
            'requests.new': 'Submit a new request',
            'requests.empty': 'You have not submitted any request yet.',
            'request.title': 'Request {number}',
            'request.back': 'Back to my requests',
            'request.state': 'Status',
            'request.kind': 'Kind',
            'request.category': 'About',
            'request.place': 'Place',
            'request.received': 'Received',
            'request.description': 'Description',
            'request.deadlines': 'Service deadlines',
            'request.work_orders': 'Work orders',
            'request.timeline': 'Progress',
            'request.created': 'Your request is submitted: number {number}.',
            'deadline.due': 'Due {at}',
            'deadline.met': 'Done on {at}',
            'deadline.pending': 'In progress',
            'deadline.breached': 'Overdue',
            'work_order.visit': 'Planned visit: {at}',
            'work_order.done': 'Done: {at}',
            'work_order.signed': 'You signed it off',
            'work_order.none': 'No work order yet.',
            'timeline.empty': 'Nothing has happened yet.',
            'request.photos': 'Photos',
            'request.photo': 'Photo {index} of {count}',
            'request.photo_open': 'Open photo {index} of {count} full size',
            'photos.label': 'Photos (optional)',
            'photos.hint': 'Up to {max}, each at most {size} MB. A photo of the problem helps us fix it sooner.',
            'photos.add': 'Add photos',
            'photos.count': '{count} of {max} photos chosen',
            'photos.too_many': 'A request takes at most {max} photos: {extra} were not added.',
            'photos.too_big': '"{name}" is larger than {size} MB and was not added.',
            'photos.not_image': '"{name}" is not a photo and was not added.',
            'photos.preview': 'Photo {index}: {name}',
            'photos.no_preview': 'No preview',
            'photos.remove': 'Remove',
            'photos.remove_label': 'Remove photo {index}: {name}',
            'photos.removed': '"{name}" removed.',
            'sign.title': 'Sign to confirm the work is done',
            'sign.intro': 'Check that the work is finished, then sign: the work order is then done.',
            'sign.name': 'Your name',
            'sign.pad': 'Signature',
            'sign.pad_hint': 'Sign in the box below with your finger (or the mouse).',
            'sign.pad_label': 'Signature box',
            'sign.clear': 'Clear',
            'sign.submit': 'Confirm and send my signature',
            'sign.blank': 'Please sign in the box before sending.',
            'sign.done': 'Signed: the work is confirmed. Thank you!',
            'rate.title': 'Rate our service',
            'rate.intro': 'The work is finished: please tell us how it went.',
            'rate.fixed': 'Is the problem really fixed?',
            'rate.yes': 'Yes, it is fixed',
            'rate.no': 'No, it is not',
            'rate.satisfaction': 'How satisfied are you with our service?',
            'rate.very_satisfied': 'Very satisfied',
            'rate.satisfied': 'Satisfied',
            'rate.fairly_satisfied': 'Fairly satisfied',
            'rate.dissatisfied': 'Dissatisfied',
            'rate.very_dissatisfied': 'Very dissatisfied',
            'rate.comment': 'Anything else to tell us? (optional)',
            'rate.submit': 'Send my rating',
            'rate.closed': 'Thank you for your rating: the request is closed.',
            'rate.reopened': 'Thank you for telling us. The request is open again and we will follow it up soon.',
            'rate.thanks': 'Thank you for your rating!',
            'new.where': 'Where',
            'new.common': 'A common area',
            'new.project': 'Residence',
            'new.location': 'Exact place',
            'new.location_unit_hint': 'Optional, e.g. kitchen, bedroom balcony',
            'new.location_common_hint': 'E.g. lobby of building 3, car park level B2',
            'new.kind': 'Kind',
            'new.category': 'What is it about?',
            'new.description': 'Description',
            'new.description_hint': 'Tell us what happened, exactly where and since when.',
            'new.choose': 'Choose…',
            'new.submit': 'Submit the request',
            'new.no_home': 'No home was found in your name. Please call the customer centre.',
        },
    });

    function excerpt(text) {
        const chars = Array.from(text || '');
        return chars.length > EXCERPT
            ? chars.slice(0, EXCERPT).join('') + '…' : chars.join('');
    }

    function badge(code, label) {
        const node = el('span', {class: 'badge', text: label});
        if (/^[a-z_]+$/.test(code || '')) {
            node.classList.add('state-' + code);
        }
        return node;
    }

    function time(value, text) {
        return el('time', {datetime: value, text});
    }

    // List -------------------------------------------------------------------

    function card(request) {
        return el('li', null, el('a', {
            class: 'card request-card',
            href: '#request/' + encodeURIComponent(request.id),
        },
        el('span', {class: 'card-head'},
            el('span', {class: 'number', text: request.number}),
            badge(request.state, request.state_label)),
        el('span', {class: 'place', text: request.place}),
        el('span', {class: 'excerpt', text: excerpt(request.description)}),
        el('span', {class: 'meta'},
            t('request.received') + ' ',
            time(request.received_at,
                Portal.formatDateTime(request.received_at)))));
    }

    async function renderList(view) {
        const data = await Portal.api('GET', 'requests');
        const requests = data.requests || [];
        view.replaceChildren(
            Portal.heading(Portal.pageTitle('requests')),
            el('p', null, el('a', {
                href: '#new', class: 'button primary', text: t('requests.new'),
            })),
            requests.length
                ? el('ul', {class: 'cards', id: 'request-list'},
                    requests.map(card))
                : el('p', {class: 'empty', text: t('requests.empty')}));
    }

    // One request ------------------------------------------------------------

    function facts(rows) {
        return el('dl', {class: 'facts'}, rows.filter(([, value]) => value)
            .map(([term, value]) => el('div', {class: 'fact'},
                el('dt', {text: term}), el('dd', null, value))));
    }

    function section(title, ...content) {
        return el('section', {class: 'panel'},
            el('h3', {text: title}), ...content);
    }

    function deadline(item) {
        // The state as the centre names it; the page's own words for a
        // server that does not say
        const label = item.state_label || t(item.state === 'breached'
            ? 'deadline.breached' : 'deadline.pending');
        return el('li', {class: 'deadline deadline-' + (
            /^[a-z]+$/.test(item.state) ? item.state : 'pending')},
        el('span', {class: 'deadline-head'},
            el('span', {class: 'deadline-target', text: item.target}),
            badge(item.state, label)),
        el('span', {class: 'deadline-due', text: t('deadline.due', {
            at: Portal.formatDateTime(item.due_at)})}),
        item.met_at && el('span', {class: 'deadline-met-at', text: t(
            'deadline.met', {at: Portal.formatDateTime(item.met_at)})}));
    }

    function photoUrl(id) {
        return 'api/photos/' + encodeURIComponent(id);
    }

    /** The request's photos as thumbnails, each a link to the photo */
    function photoSection(request) {
        const ids = (request.photos || []).filter(
            (id) => Number.isInteger(id) && id > 0);
        if (!ids.length) {
            return null;
        }
        const count = ids.length;
        return section(t('request.photos'), el('ul', {
            class: 'photos', id: 'request-photos'},
        ids.map((id, index) => el('li', null, el('a', {
            href: photoUrl(id), target: '_blank', rel: 'noopener',
            class: 'photo-link',
            title: t('request.photo_open', {index: index + 1, count}),
        }, el('img', {
            src: photoUrl(id), class: 'photo-thumb', loading: 'lazy',
            decoding: 'async',
            alt: t('request.photo', {index: index + 1, count}),
        }))))));
    }

    // Signature ----------------------------------------------------------

    /**
     * A box to sign in with a finger, a pen or the mouse (Pointer
     * Events).  The strokes are kept in CSS pixels and drawn again at the
     * screen's density whenever the box changes size.
     */
    function signaturePad(id, onStart) {
        const labelId = id + '-label';
        const hintId = id + '-hint';
        const canvas = el('canvas', {
            id, class: 'signature-pad', role: 'img',
            'aria-label': t('sign.pad_label'),
            'aria-describedby': hintId});
        const strokes = [];
        let current = null;
        let ratio = 0;

        const pen = () => {
            const context = canvas.getContext('2d');
            context.setTransform(ratio, 0, 0, ratio, 0, 0);
            context.lineWidth = 2.5;
            context.lineCap = 'round';
            context.lineJoin = 'round';
            context.strokeStyle = '#111';
            context.fillStyle = '#111';
            return context;
        };
        const dot = (context, [x, y]) => {
            context.beginPath();
            context.arc(x, y, context.lineWidth / 2, 0, 2 * Math.PI);
            context.fill();
        };
        const line = (context, [x0, y0], [x1, y1]) => {
            context.beginPath();
            context.moveTo(x0, y0);
            context.lineTo(x1, y1);
            context.stroke();
        };
        const redraw = () => {
            const context = canvas.getContext('2d');
            context.setTransform(1, 0, 0, 1, 0, 0);
            context.clearRect(0, 0, canvas.width, canvas.height);
            const drawing = pen();
            for (const stroke of strokes) {
                dot(drawing, stroke[0]);
                for (let i = 1; i < stroke.length; i++) {
                    line(drawing, stroke[i - 1], stroke[i]);
                }
            }
        };
        const fit = () => {
            const box = canvas.getBoundingClientRect();
            const density = window.devicePixelRatio || 1;
            const width = Math.round(box.width * density);
            const height = Math.round(box.height * density);
            if (!width || !height) {
                return;
            }
            if (width !== canvas.width || height !== canvas.height
                    || density !== ratio) {
                ratio = density;
                canvas.width = width;
                canvas.height = height;
                redraw();
            }
        };
        const at = (event) => {
            const box = canvas.getBoundingClientRect();
            return [event.clientX - box.left, event.clientY - box.top];
        };

        canvas.addEventListener('pointerdown', (event) => {
            if (event.pointerType === 'mouse' && event.button !== 0) {
                return;
            }
            event.preventDefault();
            fit();
            canvas.setPointerCapture(event.pointerId);
            current = {pointer: event.pointerId, points: [at(event)]};
            strokes.push(current.points);
            dot(pen(), current.points[0]);
            onStart();
        });
        canvas.addEventListener('pointermove', (event) => {
            if (!current || event.pointerId !== current.pointer) {
                return;
            }
            event.preventDefault();
            const coalesced = event.getCoalescedEvents
                ? event.getCoalescedEvents() : [];
            const context = pen();
            for (const each of coalesced.length ? coalesced : [event]) {
                const point = at(each);
                line(context, current.points[current.points.length - 1],
                    point);
                current.points.push(point);
            }
        });
        const end = (event) => {
            if (current && event.pointerId === current.pointer) {
                current = null;
            }
        };
        canvas.addEventListener('pointerup', end);
        canvas.addEventListener('pointercancel', end);
        // Drawn at the right size once on the page, and again when the
        // phone turns
        if (window.ResizeObserver) {
            new ResizeObserver(fit).observe(canvas);
        }

        const clear = el('button', {
            type: 'button', class: 'button secondary signature-clear',
            text: t('sign.clear'),
            onclick: () => {
                strokes.length = 0;
                current = null;
                redraw();
            }});
        const node = el('div', {
            class: 'field signature', role: 'group',
            'aria-labelledby': labelId},
        el('span', {class: 'label', id: labelId, text: t('sign.pad')}),
        el('p', {class: 'hint', id: hintId, text: t('sign.pad_hint')}),
        canvas, clear);
        return {
            node,
            isBlank: () => !strokes.length,
            toDataURL: () => {
                fit();
                return canvas.toDataURL('image/png');
            },
        };
    }

    /** The owner signs the work order off: the work is done */
    function signForm(order, request, me) {
        const id = 'sign-' + order.id;
        const name = el('input', {
            type: 'text', id: id + '-name', autocomplete: 'name',
            maxlength: '200', value: (me && me.name) || ''});
        // A refusal of the blank box goes once she signs
        const pad = signaturePad(id + '-pad', () => {
            if (form.getAttribute('aria-busy') !== 'true') {
                messages.replaceChildren();
            }
        });
        const form = el('form', {
            class: 'form sign-form', id,
            'aria-labelledby': id + '-title'},
        el('h4', {id: id + '-title', text: t('sign.title')}),
        el('p', {class: 'intro', text: t('sign.intro')}),
        Portal.field(t('sign.name'), name),
        pad.node,
        el('button', {type: 'submit', class: 'button primary',
            text: t('sign.submit')}));
        const messages = Portal.onSubmit(form, async () => {
            Portal.require([[t('sign.name'), name.value]]);
            if (pad.isBlank()) {
                throw new Portal.ApiError(0, t('sign.blank'));
            }
            await Portal.api('POST',
                'work_orders/' + encodeURIComponent(order.id) + '/sign', {
                    name: name.value.trim(),
                    signature: pad.toDataURL(),
                });
            Portal.flash(t('sign.done'));
            Portal.go('request', request.id);
        });
        return form;
    }

    // Rating -------------------------------------------------------------

    /** The owner answers the centre's call-back: fixed, and how satisfied */
    function rateForm(request) {
        const fixed = el('fieldset', {class: 'choices', id: 'rate-fixed'},
            el('legend', {text: t('rate.fixed')}),
            Portal.radio('confirmed', 'yes', t('rate.yes'), false),
            Portal.radio('confirmed', 'no', t('rate.no'), false));
        const satisfaction = el('fieldset', {
            class: 'choices', id: 'rate-satisfaction'},
        el('legend', {text: t('rate.satisfaction')}),
        SATISFACTION.map((value) => Portal.radio(
            'satisfaction', value, t('rate.' + value), false)));
        const comment = el('textarea', {
            id: 'rate-comment', rows: '3', maxlength: '4000'});
        const form = el('form', {class: 'form rate-form', id: 'rate-form'},
            el('p', {class: 'intro', text: t('rate.intro')}),
            fixed, satisfaction,
            Portal.field(t('rate.comment'), comment),
            el('button', {type: 'submit', class: 'button primary',
                text: t('rate.submit')}));
        const chosen = (name) => {
            const input = form.querySelector(`input[name=${name}]:checked`);
            return input ? input.value : '';
        };
        Portal.onSubmit(form, async () => {
            Portal.require([
                [t('rate.fixed'), chosen('confirmed')],
                [t('rate.satisfaction'), chosen('satisfaction')],
            ]);
            const result = await Portal.api('POST',
                'requests/' + encodeURIComponent(request.id) + '/rate', {
                    confirmed: chosen('confirmed') === 'yes',
                    satisfaction: chosen('satisfaction'),
                    comment: comment.value.trim() || null,
                });
            Portal.flash(t({closed: 'rate.closed', reopened: 'rate.reopened'}[
                result.state] || 'rate.thanks'));
            Portal.go('request', request.id);
        });
        return el('section', {class: 'panel rate', id: 'rate'},
            el('h3', {text: t('rate.title')}), form);
    }

    async function workOrder(order, request, me) {
        const item = el('li', {class: 'work-order'},
            el('span', {class: 'card-head'},
                el('span', {class: 'department', text: order.department}),
                badge(order.state, order.state_label)),
            order.visit_planned_at && el('span', {
                class: 'meta', text: t('work_order.visit', {
                    at: Portal.formatDateTime(order.visit_planned_at)})}),
            order.done_at && el('span', {
                class: 'meta', text: t('work_order.done', {
                    at: Portal.formatDateTime(order.done_at)})}),
            order.signed && el('span', {
                class: 'meta signed', text: t('work_order.signed')}),
            order.can_sign && signForm(order, request, me));
        await Portal.runHooks('work-order', item, order, request);
        return item;
    }

    function timeline(events) {
        if (!events.length) {
            return el('p', {class: 'empty', text: t('timeline.empty')});
        }
        return el('ol', {class: 'timeline'}, events.map((event) => el('li',
            null,
            time(event.at, Portal.formatDateTime(event.at)),
            el('span', {class: 'event', text: event.text}))));
    }

    async function renderRequest(view, route) {
        const id = route.args[0] || '';
        const request = await Portal.api(
            'GET', 'requests/' + encodeURIComponent(id));
        // The owner's name as she last gave it, to sign with
        const me = (request.work_orders || []).some((o) => o.can_sign)
            ? await Portal.api('GET', 'me') : null;
        const orders = await Promise.all(
            (request.work_orders || []).map(
                (order) => workOrder(order, request, me)));
        // The sections a request has (replaceChildren would write "null")
        view.replaceChildren(...[
            Portal.heading(t('request.title', {number: request.number})),
            el('p', {class: 'state-line'},
                badge(request.state, request.state_label)),
            facts([
                [t('request.kind'), request.kind],
                [t('request.category'), request.category],
                [t('request.place'), request.place],
                [t('request.received'), time(request.received_at,
                    Portal.formatDateTime(request.received_at))],
            ]),
            request.can_rate ? rateForm(request) : null,
            section(t('request.description'),
                el('p', {class: 'description', text: request.description})),
            photoSection(request),
            (request.deadlines || []).length ? section(
                t('request.deadlines'),
                el('ul', {class: 'deadlines'},
                    request.deadlines.map(deadline))) : null,
            section(t('request.work_orders'), orders.length
                ? el('ul', {class: 'work-orders'}, orders)
                : el('p', {class: 'empty', text: t('work_order.none')})),
            section(t('request.timeline'), timeline(request.timeline || [])),
            el('p', {class: 'links'}, el('a', {
                href: '#requests', text: t('request.back')})),
        ].filter(Boolean));
        await Portal.runHooks('request-detail', view, request);
    }

    // New request ------------------------------------------------------------

    function select(id, options, placeholder) {
        return el('select', {id},
            el('option', {value: '', text: placeholder}),
            options.map(([value, label]) => el('option', {
                value: String(value), text: label})));
    }

    /** A file the server may take as a photo (iPhones' HEIC may come
     * without a type) */
    function isImage(file) {
        return file.type ? file.type.startsWith('image/')
            : /\.(heic|heif|jpe?g|png|webp)$/i.test(file.name);
    }

    /**
     * The photos of a new request: chosen from the phone's gallery or
     * camera, shown small, each with a button to take it out again; at
     * most MAX_PHOTOS of at most MAX_PHOTO_MB each.
     */
    function photoPicker() {
        const chosen = [];  // {file, url}
        const input = el('input', {
            type: 'file', id: 'new-photos', class: 'photo-input',
            accept: 'image/*', multiple: true,
            'aria-describedby': 'new-photos-hint new-photos-count'});
        const count = el('p', {
            class: 'hint photo-count', id: 'new-photos-count',
            'aria-live': 'polite'});
        const messages = el('div', {class: 'messages'});
        const previews = el('ul', {class: 'photo-previews',
            id: 'new-photo-previews'});
        const add = el('div', {class: 'photo-add'}, input, el('label', {
            for: 'new-photos', class: 'button secondary',
            text: t('photos.add')}));
        const node = el('fieldset', {class: 'field photos-field'},
            el('legend', {text: t('photos.label')}),
            el('p', {class: 'hint', id: 'new-photos-hint', text: t(
                'photos.hint', {max: MAX_PHOTOS, size: MAX_PHOTO_MB})}),
            previews, add, count, messages);

        const draw = (focusIndex) => {
            previews.replaceChildren(...chosen.map(({file, url}, index) => {
                const values = {index: index + 1, name: file.name};
                const image = el('img', {
                    src: url, class: 'photo-thumb',
                    alt: t('photos.preview', values),
                    onerror: (event) => event.currentTarget.replaceWith(
                        el('span', {
                            class: 'photo-thumb photo-placeholder',
                            role: 'img', 'aria-label': t(
                                'photos.preview', values),
                            text: t('photos.no_preview')}))});
                return el('li', {class: 'photo-preview'}, image,
                    el('button', {
                        type: 'button', class: 'photo-remove',
                        text: t('photos.remove'),
                        'aria-label': t('photos.remove_label', values),
                        onclick: () => remove(index)}));
            }));
            previews.hidden = !chosen.length;
            count.textContent = t('photos.count', {
                count: chosen.length, max: MAX_PHOTOS});
            // Full: the count says why no more can be added
            add.hidden = chosen.length >= MAX_PHOTOS;
            if (focusIndex !== undefined) {
                const buttons = previews.querySelectorAll('.photo-remove');
                (buttons[Math.min(focusIndex, buttons.length - 1)]
                    || input).focus();
            }
        };
        const remove = (index) => {
            const [gone] = chosen.splice(index, 1);
            URL.revokeObjectURL(gone.url);
            Portal.showNotice(messages, t('photos.removed', {
                name: gone.file.name}));
            draw(index);
        };
        input.addEventListener('change', () => {
            const problems = [];
            let extra = 0;
            for (const file of Array.from(input.files || [])) {
                if (!isImage(file)) {
                    problems.push(t('photos.not_image', {name: file.name}));
                } else if (file.size > MAX_PHOTO_MB * 1024 * 1024) {
                    problems.push(t('photos.too_big', {
                        name: file.name, size: MAX_PHOTO_MB}));
                } else if (chosen.length >= MAX_PHOTOS) {
                    extra += 1;
                } else {
                    chosen.push({file, url: URL.createObjectURL(file)});
                }
            }
            if (extra) {
                problems.unshift(t('photos.too_many', {
                    max: MAX_PHOTOS, extra}));
            }
            // The same file may be chosen again after its removal
            input.value = '';
            messages.replaceChildren(...problems.map(
                (text) => Portal.message('error', text)));
            draw();
        });
        draw();
        return {
            node,
            files: () => chosen.map(({file}) => file),
            release: () => {
                for (const {url} of chosen) {
                    URL.revokeObjectURL(url);
                }
            },
        };
    }

    async function renderNew(view) {
        const choices = await Portal.api('GET', 'choices');
        const units = choices.units || [];
        const projects = choices.projects || [];
        const title = Portal.heading(Portal.pageTitle('new'));
        if (!units.length && !projects.length) {
            view.replaceChildren(title,
                el('p', {class: 'empty', text: t('new.no_home')}));
            return;
        }

        const places = el('fieldset', {class: 'choices', id: 'new-place'},
            el('legend', {text: t('new.where')}),
            units.map((unit) => Portal.radio(
                'place', String(unit.id), unit.name, units.length === 1)),
            projects.length ? Portal.radio(
                'place', 'common', t('new.common'), false) : null);
        const project = select('new-project', projects, t('new.choose'));
        if (projects.length === 1) {
            project.value = String(projects[0][0]);
        }
        const projectField = Portal.field(t('new.project'), project);
        projectField.hidden = true;
        const spot = el('input', {
            type: 'text', id: 'new-location', maxlength: '200'});
        const locationField = Portal.field(t('new.location'), spot,
            t('new.location_unit_hint'));
        const locationHint = locationField.querySelector('.hint');

        const kind = select('new-kind',
            (choices.kinds || []).map((k) => [k.value, k.label]),
            t('new.choose'));
        const categories = el('fieldset', {
            class: 'choices', id: 'new-category'},
        el('legend', {text: t('new.category')}),
        (choices.categories || []).map((c) => Portal.radio(
            'category', c.value, c.label, false)));
        const description = el('textarea', {
            id: 'new-description', rows: '5', maxlength: '4000'});
        const photos = photoPicker();
        // The previews' object URLs are let go with the page
        window.addEventListener('hashchange', photos.release, {once: true});
        // Where other modules add fields
        const extra = el('div', {class: 'extra'});

        const form = el('form', {class: 'form', id: 'new-request'},
            places, projectField, locationField,
            Portal.field(t('new.kind'), kind),
            categories,
            Portal.field(t('new.description'), description,
                t('new.description_hint')),
            photos.node,
            extra,
            el('button', {type: 'submit', class: 'button primary',
                text: t('new.submit')}));

        const chosen = (name) => {
            const input = form.querySelector(`input[name=${name}]:checked`);
            return input ? input.value : '';
        };
        places.addEventListener('change', () => {
            const common = chosen('place') === 'common';
            projectField.hidden = !common;
            locationHint.textContent = t(common
                ? 'new.location_common_hint' : 'new.location_unit_hint');
        });

        Portal.onSubmit(form, async () => {
            const place = chosen('place');
            const common = place === 'common';
            Portal.require([
                [t('new.where'), place],
                [t('new.project'), common ? project.value : 'unit'],
                [t('new.location'), common ? spot.value : 'unit'],
                [t('new.kind'), kind.value],
                [t('new.category'), chosen('category')],
                [t('new.description'), description.value],
            ]);
            const body = {
                kind: kind.value,
                category: chosen('category'),
                description: description.value.trim(),
                location: spot.value.trim() || null,
            };
            if (common) {
                body.project = Number(project.value);
            } else {
                body.unit = Number(place);
            }
            const files = photos.files();
            await Portal.runHooks('request-submit', body, form, files);
            let payload = body;
            if (files.length) {
                // The same JSON in "data", the photos beside it
                payload = new FormData();
                payload.append('data', JSON.stringify(body));
                for (const file of files) {
                    payload.append('photos', file, file.name);
                }
            }
            const request = await Portal.api('POST', 'requests', payload);
            await Portal.runHooks('request-created', request, form);
            Portal.flash(t('request.created', {number: request.number}));
            Portal.go('request', request.id);
        });

        await Portal.runHooks('request-form', extra, form);
        view.replaceChildren(title, form);
    }

    Portal.register('requests', renderList);
    Portal.register('request', renderRequest, {menu: 'requests'});
    Portal.register('new', renderNew);
})();
