/* This file is part of the coastal customer service project. */
/* The owner's name, numbers, e-mail and language */
'use strict';

(() => {
    const {el, t} = Portal;
    // Each language named in itself
    const LANGUAGES = [['zh_CN', '中文'], ['en', 'English']];

    function input(id, type, autocomplete) {
        return el('input', {type, id, autocomplete, maxlength: '200'});
    }

    async function renderProfile(view) {
        const me = await Portal.api('GET', 'me');
        const name = input('profile-name', 'text', 'name');
        const mobile = input('profile-mobile', 'tel', 'tel');
        const phone = input('profile-phone', 'tel', 'off');
        const email = input('profile-email', 'email', 'email');
        const language = el('select', {id: 'profile-language'},
            LANGUAGES.map(([code, label]) => el('option', {
                value: code, text: label, lang: code.replace('_', '-')})));

        const fill = (data) => {
            name.value = data.name || '';
            mobile.value = data.mobile || '';
            phone.value = data.phone || '';
            email.value = data.email || '';
            language.value = data.language || 'zh_CN';
        };
        fill(me);

        const form = el('form', {class: 'form', id: 'profile-form'},
            Portal.field(t('profile.name'), name),
            Portal.field(t('profile.mobile'), mobile,
                t('profile.numbers_hint')),
            Portal.field(t('profile.phone'), phone),
            Portal.field(t('profile.email'), email),
            Portal.field(t('profile.language'), language),
            el('button', {type: 'submit', class: 'button primary',
                text: t('profile.save')}));
        Portal.onSubmit(form, async (messages) => {
            Portal.require([[t('profile.name'), name.value]]);
            const data = await Portal.api('PUT', 'me', {
                name: name.value.trim(),
                mobile: mobile.value.trim(),
                phone: phone.value.trim(),
                email: email.value.trim(),
                language: language.value,
            });
            // The numbers come back as the centre keeps them
            fill(data);
            Portal.showNotice(messages, t('profile.saved'));
        });
        view.replaceChildren(Portal.heading(Portal.pageTitle('profile')),
            form);
    }

    Portal.register('profile', renderProfile);
})();
