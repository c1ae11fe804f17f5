/* This file is part of the coastal customer service project. */
/* The owner's homes: handover date and the warranty of each part */
'use strict';

(() => {
    const {el, t} = Portal;

    // The warranty states the page colours; the words are the server's
    const WARRANTY_STATES = ['not_handed_over', 'under_warranty', 'expired'];

    function warranty(item) {
        const code = WARRANTY_STATES.includes(item.state_code)
            ? item.state_code : null;
        return el('li', {
            class: 'warranty' + (code ? ' warranty-' + code : ''),
            'data-state': code},
        el('span', {class: 'warranty-part', text: item.part}),
        el('span', {class: 'warranty-state', text: item.state}),
        item.until && el('span', {class: 'warranty-until', text: t(
            'units.until', {date: Portal.formatDate(item.until)})}));
    }

    function unit(home) {
        return el('li', {class: 'card unit-card'},
            el('h3', {class: 'unit-name', text: home.name}),
            el('dl', {class: 'facts'}, el('div', {class: 'fact'},
                el('dt', {text: t('units.handover')}),
                el('dd', null, home.handover_date
                    ? el('time', {
                        datetime: home.handover_date,
                        text: Portal.formatDate(home.handover_date)})
                    : t('units.not_handed_over')))),
            (home.warranty || []).length ? el('section', {class: 'panel'},
                el('h4', {text: t('units.warranty')}),
                el('ul', {class: 'warranties'}, home.warranty.map(warranty)))
                : null);
    }

    async function renderUnits(view) {
        const data = await Portal.api('GET', 'units');
        const units = data.units || [];
        view.replaceChildren(
            Portal.heading(Portal.pageTitle('units')),
            units.length ? el('ul', {class: 'cards', id: 'unit-list'},
                units.map(unit))
                : el('p', {class: 'empty', text: t('units.empty')}));
    }

    Portal.register('units', renderUnits);
})();
