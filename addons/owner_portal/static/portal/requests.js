/* This file is part of the coastal customer service project. */
/* The owner's requests: the list, one request, and a new request */
'use strict';

(() => {
    const {el, t} = Portal;
    const EXCERPT = 60;  // characters of the description in the list

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
        let status;
        if (item.met_at) {
            status = t('deadline.met', {
                at: Portal.formatDateTime(item.met_at)});
        } else {
            status = t(item.state === 'breached'
                ? 'deadline.breached' : 'deadline.pending');
        }
        return el('li', {class: 'deadline deadline-' + (
            /^[a-z]+$/.test(item.state) ? item.state : 'pending')},
        el('span', {class: 'deadline-target', text: item.target}),
        el('span', {class: 'deadline-due', text: t('deadline.due', {
            at: Portal.formatDateTime(item.due_at)})}),
        el('span', {class: 'deadline-state', text: status}));
    }

    async function workOrder(order, request) {
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
                class: 'meta', text: t('work_order.signed')}));
        // Where signing off the work order will plug in
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
        const orders = await Promise.all(
            (request.work_orders || []).map(
                (order) => workOrder(order, request)));
        view.replaceChildren(
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
            section(t('request.description'),
                el('p', {class: 'description', text: request.description})),
            (request.deadlines || []).length ? section(
                t('request.deadlines'),
                el('ul', {class: 'deadlines'},
                    request.deadlines.map(deadline))) : null,
            section(t('request.work_orders'), orders.length
                ? el('ul', {class: 'work-orders'}, orders)
                : el('p', {class: 'empty', text: t('work_order.none')})),
            section(t('request.timeline'), timeline(request.timeline || [])),
            el('p', {class: 'links'}, el('a', {
                href: '#requests', text: t('request.back')})));
        // Where photos and the satisfaction rating will plug in
        await Portal.runHooks('request-detail', view, request);
    }

    // New request ------------------------------------------------------------

    function select(id, options, placeholder) {
        return el('select', {id},
            el('option', {value: '', text: placeholder}),
            options.map(([value, label]) => el('option', {
                value: String(value), text: label})));
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
        // Where photos will plug in
        const extra = el('div', {class: 'extra'});

        const form = el('form', {class: 'form', id: 'new-request'},
            places, projectField, locationField,
            Portal.field(t('new.kind'), kind),
            categories,
            Portal.field(t('new.description'), description,
                t('new.description_hint')),
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
            await Portal.runHooks('request-submit', body, form);
            const request = await Portal.api('POST', 'requests', body);
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
