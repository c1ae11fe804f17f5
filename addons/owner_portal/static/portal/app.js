/* This file is part of the coastal customer service project. */
/*
 * The owner portal's core: the hash router, the JSON API helper, the
 * language of the page and the small DOM helpers the pages share.
 *
 * Pages are drawn by scripts named by GET api/pages (owner_portal.api
 * pages()): each entry has a `name`, a `title` and a `script` path below
 * static/.  The core loads every listed script once, before it draws a
 * page; a script registers the routes it draws:
 *
 *     Portal.register('events', (view, route) => { ... });
 *
 * `view` is the page's empty <section>; `route` is {name, args, params}
 * for a hash like #name/arg1/arg2?key=value.  A page is reached by every
 * owner who is logged in unless registered with {public: true}; a route
 * that is not in the menu may name the menu entry it belongs to with
 * {menu: 'events'}.  The first page of the menu is the home page.
 * Another module adds a page by extending pages() and putting its script
 * in its own static/portal/ folder (and its name in static_modules());
 * its strings go through Portal.strings(), its styles through
 * Portal.stylesheet('module/file.css') (loaded before a page is drawn).
 *
 * A page may offer hooks where other scripts plug in: it calls
 * Portal.runHooks(name, ...args), which awaits, in the order registered,
 * each fn of Portal.hook(name, fn) (requests.js of owner_portal_request
 * lists its own).
 *
 * All text reaches the page through textContent or attributes, never as
 * HTML.
 */
'use strict';

(() => {
    const STORAGE_KEY = 'owner_portal.language';
    const DEFAULT_LANGUAGE = 'zh_CN';
    const LANGUAGES = {
        zh_CN: {tag: 'zh-CN', name: '中文', locale: 'zh-CN'},
        en: {tag: 'en', name: 'English', locale: 'en-GB'},
    };

    const STRINGS = {
        zh_CN: {
            'app.title': '业主服务',
            'menu.label': '主菜单',
            'language.switch': '切换为中文',
            'logout': '退出登录',
            'loading': '正在加载…',
            'sending': '正在提交…',
            'retry': '重试',
            'error.network': '无法连接服务器，请检查网络后重试。',
            'error.server': '服务暂时出错（{status}），请稍后再试。',
            'error.unexpected': '页面出错了，请刷新后重试。',
            'error.script': '页面组件加载失败，请刷新后重试。',
            'not_found': '找不到这个页面。',
            'form.required': '请填写：{field}。',
            'login.title': '业主登录',
            'login.login': '手机号或电子邮箱',
            'login.password': '密码',
            'login.submit': '登录',
            'login.forgot': '忘记密码？',
            'login.expired': '登录已过期，请重新登录。',
            'welcome.title': '欢迎使用业主服务',
            'welcome.intro': '请为您的账号 {login} 设置密码。',
            'reset.title': '设置新密码',
            'reset.intro': '请为账号 {login} 设置新密码。',
            'password.new': '新密码（至少 8 位）',
            'password.confirm': '再次输入新密码',
            'password.mismatch': '两次输入的密码不一致。',
            'password.submit': '保存密码',
            'password.saved': '密码已设置，请登录。',
            'link.incomplete': '这个链接不完整。请重新申请设置密码。',
            'forgot.title': '找回密码',
            'forgot.intro': '请输入您的手机号或电子邮箱，我们会把设置新密码的链接发给您。',
            'forgot.submit': '发送链接',
            'back.login': '返回登录',
            'units.empty': '没有找到您名下的房屋。',
            'units.handover': '交付日期',
            'units.not_handed_over': '尚未交付',
            'units.warranty': '保修',
            'units.until': '至 {date}',
            'profile.name': '姓名',
            'profile.mobile': '手机号',
            'profile.phone': '固定电话',
            'profile.email': '电子邮箱',
            'profile.language': '通知语言',
            'profile.numbers_hint': '号码会按国际格式保存，例如 +86 138 0013 8000。',
            'profile.save': '保存',
            'profile.saved': '已保存。',
        },
        en: {
            'app.title': 'Owner Portal',
            'menu.label': 'Main menu',
            'language.switch': 'Switch to English',
            'logout': 'Log out',
            'loading': 'Loading…',
            'sending': 'Sending…',
            'retry': 'Try again',
            'error.network': 'The server could not be reached. Check your connection and try again.',
            'error.server': 'Something went wrong on our side ({status}). Please try again later.',
            'error.unexpected': 'Something went wrong on this page. Reload it and try again.',
            'error.script': 'Part of the page could not be loaded. Reload it and try again.',
            'not_found': 'This page does not exist.',
            'form.required': 'Please fill in: {field}.',
            'login.title': 'Owner login',
            'login.login': 'Mobile number or e-mail',
            'login.password': 'Password',
            'login.submit': 'Log in',
            'login.forgot': 'Forgot your password?',
            'login.expired': 'Your session has ended. Please log in again.',
            'welcome.title': 'Welcome to the owner portal',
            'welcome.intro': 'Choose a password for your account {login}.',
            'reset.title': 'Choose a new password',
            'reset.intro': 'Choose a new password for your account {login}.',
            'password.new': 'New password (at least 8 characters)',
            'password.confirm': 'New password again',
            'password.mismatch': 'The two passwords are not the same.',
            'password.submit': 'Save the password',
            'password.saved': 'Your password is set. Please log in.',
            'link.incomplete': 'This link is incomplete. Please ask for a new one.',
            'forgot.title': 'Forgot your password',
            'forgot.intro': 'Enter your mobile number or e-mail and we will send you a link to choose a new password.',
            'forgot.submit': 'Send the link',
            'back.login': 'Back to login',
            'units.empty': 'No home was found in your name.',
            'units.handover': 'Handed over',
            'units.not_handed_over': 'Not handed over yet',
            'units.warranty': 'Warranty',
            'units.until': 'until {date}',
            'profile.name': 'Name',
            'profile.mobile': 'Mobile',
            'profile.phone': 'Phone',
            'profile.email': 'E-mail',
            'profile.language': 'Language of our messages',
            'profile.numbers_hint': 'Numbers are kept in international form, e.g. +86 138 0013 8000.',
            'profile.save': 'Save',
            'profile.saved': 'Saved.',
        },
    };

    const routes = new Map();
    const hooks = new Map();
    const loadedScripts = new Map();
    const loadedStyles = new Map();
    const state = {
        language: storedLanguage() || DEFAULT_LANGUAGE,
        menu: [],
        me: null,
        csrf: null,
        flash: null,
        afterLogin: null,
        renderCount: 0,
    };

    // Language ---------------------------------------------------------------

    function storedLanguage() {
        try {
            const value = window.localStorage.getItem(STORAGE_KEY);
            return value in LANGUAGES ? value : null;
        } catch (error) {
            return null;
        }
    }

    function storeLanguage(code) {
        try {
            window.localStorage.setItem(STORAGE_KEY, code);
        } catch (error) {
            // Private browsing: the choice lasts until the page is left
        }
    }

    function t(key, values) {
        const table = STRINGS[state.language] || STRINGS[DEFAULT_LANGUAGE];
        let text = key in table ? table[key]
            : (STRINGS[DEFAULT_LANGUAGE][key] ?? key);
        if (values) {
            text = text.replace(/\{(\w+)\}/g, (match, name) =>
                name in values ? String(values[name] ?? '') : match);
        }
        return text;
    }

    /** Add a module's strings: {zh_CN: {key: text}, en: {key: text}} */
    function strings(more) {
        for (const [code, table] of Object.entries(more)) {
            if (code in STRINGS) {
                Object.assign(STRINGS[code], table);
            }
        }
    }

    async function setLanguage(code, {store = true} = {}) {
        if (!(code in LANGUAGES)) {
            return;
        }
        if (store) {
            storeLanguage(code);
        }
        if (code === state.language) {
            return;
        }
        state.language = code;
        applyLanguage();
        await loadMenu();
        await route();
    }

    function applyLanguage() {
        const root = document.documentElement;
        root.lang = LANGUAGES[state.language].tag;
        document.getElementById('app-title').textContent = t('app.title');
        const other = state.language === 'en' ? 'zh_CN' : 'en';
        const toggle = document.getElementById('language');
        toggle.textContent = LANGUAGES[other].name;
        toggle.lang = LANGUAGES[other].tag;
        toggle.dataset.language = other;
        // The switch reads in the language it switches to
        const label = STRINGS[other]['language.switch'];
        toggle.setAttribute('aria-label', label);
        toggle.title = label;
        document.getElementById('logout').textContent = t('logout');
        document.getElementById('menu').setAttribute(
            'aria-label', t('menu.label'));
    }

    function locale() {
        return LANGUAGES[state.language].locale;
    }

    /** A date of the server (YYYY-MM-DD) as the owner reads it */
    function formatDate(value) {
        if (!value) {
            return '';
        }
        const [year, month, day] = value.split('-').map(Number);
        const date = new Date(year, month - 1, day);
        if (Number.isNaN(date.getTime())) {
            return value;
        }
        return date.toLocaleDateString(locale(), {dateStyle: 'medium'});
    }

    /** A UTC timestamp of the server (ISO 8601) in the owner's time */
    function formatDateTime(value) {
        if (!value) {
            return '';
        }
        const date = new Date(value);
        if (Number.isNaN(date.getTime())) {
            return value;
        }
        return date.toLocaleString(locale(), {
            dateStyle: 'medium', timeStyle: 'short'});
    }

    // DOM --------------------------------------------------------------------

    /**
     * An element with attributes and children.  `text` sets textContent,
     * `class` the class names, `on<event>` a listener; true sets an empty
     * attribute and null, undefined or false leave it out.  Children are
     * nodes or strings (as text).
     */
    function el(tag, attributes, ...children) {
        const node = document.createElement(tag);
        for (const [key, value] of Object.entries(attributes || {})) {
            if (value === null || value === undefined || value === false) {
                continue;
            }
            if (key === 'text') {
                node.textContent = value;
            } else if (key === 'class') {
                node.className = value;
            } else if (key.startsWith('on') && typeof value === 'function') {
                node.addEventListener(key.slice(2), value);
            } else if (key === 'style') {
                throw new Error('Inline styles are refused by the page');
            } else {
                node.setAttribute(key, value === true ? '' : String(value));
            }
        }
        for (const child of children.flat()) {
            if (child === null || child === undefined || child === false) {
                continue;
            }
            node.append(child instanceof Node ? child
                : document.createTextNode(String(child)));
        }
        return node;
    }

    let uniqueCount = 0;

    function uid(prefix) {
        uniqueCount += 1;
        return `${prefix}-${uniqueCount}`;
    }

    /** A labelled form field around control (which gets an id if needed) */
    function field(label, control, hint) {
        if (!control.id) {
            control.id = uid('field');
        }
        const wrapper = el('div', {class: 'field'},
            el('label', {for: control.id, text: label}));
        if (hint) {
            const hintId = control.id + '-hint';
            control.setAttribute('aria-describedby', hintId);
            wrapper.append(el('p', {id: hintId, class: 'hint', text: hint}));
        }
        wrapper.append(control);
        return wrapper;
    }

    /** A radio button and its label, as one large target */
    function radio(name, value, label, checked) {
        const input = el('input', {
            type: 'radio', name, value, id: uid(name), checked});
        return el('div', {class: 'choice'},
            input, el('label', {for: input.id, text: label}));
    }

    function heading(text) {
        return el('h2', {class: 'page-title', tabindex: '-1', text});
    }

    function message(kind, text) {
        return el('p', {
            class: `message ${kind}`,
            role: kind === 'error' ? 'alert' : 'status',
            text,
        });
    }

    /** Show the error's message in container, in place of what was there */
    function showError(container, error) {
        if (!(error instanceof ApiError)) {
            // Keep programming errors visible to the console and the tests
            window.setTimeout(() => {
                throw error;
            });
        }
        const text = error instanceof ApiError ? error.message
            : t('error.unexpected');
        container.replaceChildren(message('error', text));
    }

    function showNotice(container, text) {
        container.replaceChildren(message('notice', text));
    }

    /**
     * Handle the form's submission with action(messages, form): the
     * submit button is disabled meanwhile and an error of the server is
     * shown in the form's message area, above the button.
     */
    function onSubmit(form, action) {
        const messages = el('div', {class: 'messages'});
        const button = form.querySelector('button[type=submit]');
        if (button) {
            button.before(messages);
        } else {
            form.append(messages);
        }
        form.noValidate = true;
        form.addEventListener('submit', async (event) => {
            event.preventDefault();
            if (form.getAttribute('aria-busy') === 'true') {
                return;
            }
            messages.replaceChildren();
            form.setAttribute('aria-busy', 'true');
            const label = button ? button.textContent : null;
            if (button) {
                button.disabled = true;
                button.textContent = t('sending');
            }
            try {
                await action(messages, form);
            } catch (error) {
                if (!error.redirected) {
                    showError(messages, error);
                }
            } finally {
                form.removeAttribute('aria-busy');
                if (button) {
                    button.disabled = false;
                    button.textContent = label;
                }
            }
        });
        return messages;
    }

    /** Refuse the form when a required value is empty, naming its field */
    function require(values) {
        for (const [label, value] of values) {
            if (value === null || value === undefined
                    || String(value).trim() === '') {
                throw new ApiError(0, t('form.required', {field: label}));
            }
        }
    }

    // API --------------------------------------------------------------------

    class ApiError extends Error {
        constructor(status, text, data) {
            super(text);
            this.name = 'ApiError';
            this.status = status;
            this.data = data;
            this.redirected = false;
        }
    }

    /**
     * Call the portal's JSON API: method, path below api/, and the body
     * to send as JSON, or a FormData to send as multipart/form-data (its
     * "data" field holding the JSON, as the server expects).  Resolve with the answer's data; reject with an
     * ApiError carrying the server's message.  When the session has
     * ended on a page that needs it, go to the login page.
     */
    async function api(method, path, body) {
        const headers = {
            'Accept': 'application/json',
            'X-Portal-Language': state.language,
        };
        if (state.csrf) {
            headers['X-CSRF-Token'] = state.csrf;
        }
        const init = {method, headers, credentials: 'same-origin'};
        if (body instanceof FormData) {
            // Files: the browser sets the multipart type and its boundary
            init.body = body;
        } else if (method !== 'GET' && method !== 'HEAD') {
            headers['Content-Type'] = 'application/json';
            init.body = JSON.stringify(body ?? {});
        }
        let response;
        try {
            response = await fetch('api/' + path, init);
        } catch (error) {
            throw new ApiError(0, t('error.network'));
        }
        let data = null;
        try {
            data = await response.json();
        } catch (error) {
            data = null;
        }
        if (response.ok) {
            return data ?? {};
        }
        const text = (data && typeof data.error === 'string' && data.error)
            || t('error.server', {status: response.status});
        const failure = new ApiError(response.status, text, data);
        if (response.status === 401) {
            const expired = Boolean(state.me);
            forget();
            const current = parseHash();
            const page = routes.get(current.name);
            if (!page || !page.public) {
                failure.redirected = true;
                state.afterLogin = location.hash;
                if (expired) {
                    flash(t('login.expired'));
                }
                go('login');
            }
        }
        throw failure;
    }

    function remember(me) {
        state.me = me;
        state.csrf = me.csrf_token || null;
        if (!storedLanguage() && me.language in LANGUAGES
                && me.language !== state.language) {
            state.language = me.language;
            applyLanguage();
        }
        updateChrome();
    }

    function forget() {
        state.me = null;
        state.csrf = null;
        updateChrome();
    }

    async function logout() {
        try {
            await api('POST', 'logout', {});
        } catch (error) {
            if (error.status !== 401) {
                throw error;
            }
        }
        forget();
        state.afterLogin = null;
        go('login');
    }

    // Pages and menu ---------------------------------------------------------

    /** Draw the route `name` with render(view, route); options: public, menu */
    function register(name, render, options = {}) {
        routes.set(name, {
            render,
            public: Boolean(options.public),
            menu: options.menu || name,
        });
    }

    function hook(name, fn) {
        if (!hooks.has(name)) {
            hooks.set(name, []);
        }
        hooks.get(name).push(fn);
    }

    async function runHooks(name, ...args) {
        for (const fn of hooks.get(name) || []) {
            await fn(...args);
        }
    }

    function loadScript(path) {
        if (!/^[\w-]+\/[\w./-]+\.js$/.test(path) || path.includes('..')) {
            return Promise.reject(new ApiError(0, t('error.script')));
        }
        if (!loadedScripts.has(path)) {
            loadedScripts.set(path, new Promise((resolve, reject) => {
                const script = el('script', {src: 'static/' + path});
                script.addEventListener('load', resolve);
                script.addEventListener('error', () => {
                    loadedScripts.delete(path);
                    reject(new ApiError(0, t('error.script')));
                });
                document.head.append(script);
            }));
        }
        return loadedScripts.get(path);
    }

    /** Add the module's style sheet (a path below static/) to the page */
    function stylesheet(path) {
        if (!/^[\w-]+\/[\w./-]+\.css$/.test(path) || path.includes('..')) {
            return Promise.reject(new ApiError(0, t('error.script')));
        }
        if (!loadedStyles.has(path)) {
            loadedStyles.set(path, new Promise((resolve, reject) => {
                const link = el('link', {
                    rel: 'stylesheet', href: 'static/' + path});
                link.addEventListener('load', resolve);
                link.addEventListener('error',
                    () => reject(new ApiError(0, t('error.script'))));
                document.head.append(link);
            }));
        }
        return loadedStyles.get(path);
    }

    async function loadMenu() {
        const data = await api('GET', 'pages');
        state.menu = Array.isArray(data.pages) ? data.pages : [];
        await Promise.all(state.menu.map((page) => loadScript(page.script)));
        // The style sheets the scripts asked for, before a page is drawn
        await Promise.all(loadedStyles.values());
        drawMenu();
    }

    /** The page an owner lands on: the first of the menu */
    function home() {
        return state.menu.length ? state.menu[0].name : 'login';
    }

    function pageTitle(name) {
        const page = state.menu.find((entry) => entry.name === name);
        return page ? page.title : '';
    }

    function drawMenu() {
        const items = document.getElementById('menu-items');
        items.replaceChildren(...state.menu.map((page) => el('li', null,
            el('a', {
                href: '#' + encodeURIComponent(page.name),
                'data-page': page.name,
                text: page.title,
            }))));
        const menu = document.getElementById('menu');
        menu.classList.toggle('many', state.menu.length > 4);
        updateChrome();
    }

    function updateChrome() {
        const signedIn = Boolean(state.me);
        document.body.classList.toggle('signed-in', signedIn);
        document.getElementById('menu').hidden = !signedIn;
        document.getElementById('logout').hidden = !signedIn;
        const current = routes.get(parseHash().name);
        const active = current ? current.menu : null;
        for (const link of document.querySelectorAll('#menu-items a')) {
            if (link.dataset.page === active) {
                link.setAttribute('aria-current', 'page');
            } else {
                link.removeAttribute('aria-current');
            }
        }
    }

    // Router -----------------------------------------------------------------

    /** #name/arg/arg?key=value as {name, args, params} */
    function parseHash() {
        const hash = location.hash.replace(/^#/, '');
        const split = hash.indexOf('?');
        const path = split < 0 ? hash : hash.slice(0, split);
        const query = split < 0 ? '' : hash.slice(split + 1);
        const [name, ...args] = path.split('/').map((part) => {
            try {
                return decodeURIComponent(part);
            } catch (error) {
                return part;
            }
        });
        return {
            name: name || home(), args, params: new URLSearchParams(query)};
    }

    /** Go to the route: go('request', 12) or go('login', {login: '…'}) */
    function go(name, ...rest) {
        let query = '';
        if (rest.length && typeof rest[rest.length - 1] === 'object') {
            query = '?' + new URLSearchParams(rest.pop()).toString();
        }
        const hash = '#' + [name, ...rest].map(
            (part) => encodeURIComponent(String(part))).join('/') + query;
        if (location.hash === hash) {
            route();
        } else {
            location.hash = hash;
        }
    }

    /** A message for the next page drawn */
    function flash(text) {
        state.flash = text;
    }

    async function route() {
        const count = ++state.renderCount;
        const hash = location.hash;
        const current = parseHash();
        const main = document.getElementById('main');
        const view = el('section', {class: 'view', 'data-page': current.name},
            el('p', {class: 'loading', role: 'status', text: t('loading')}));
        main.replaceChildren(view);
        const page = routes.get(current.name);
        updateChrome();
        if (!page) {
            view.replaceChildren(heading(t('not_found')),
                el('p', null, el('a', {
                    href: '#' + home(), class: 'button secondary',
                    text: pageTitle(home()) || t('login.title')})));
            finish(view, count, hash);
            return;
        }
        try {
            if (!page.public && !state.me) {
                remember(await api('GET', 'me'));
            }
            if (count !== state.renderCount) {
                return;
            }
            await page.render(view, current);
        } catch (error) {
            if (error.redirected || count !== state.renderCount) {
                return;
            }
            view.querySelector('.loading')?.remove();
            const messages = el('div', {class: 'messages'});
            view.prepend(messages);
            showError(messages, error);
        }
        finish(view, count, hash);
    }

    /** Title, focus and flash message once a page is drawn */
    function finish(view, count, hash) {
        // A page that sent the owner elsewhere is not finished
        if (count !== state.renderCount || location.hash !== hash) {
            return;
        }
        const title = view.querySelector('h2');
        document.title = title
            ? `${title.textContent} · ${t('app.title')}` : t('app.title');
        if (state.flash) {
            const notice = message('notice', state.flash);
            state.flash = null;
            if (title) {
                title.after(notice);
            } else {
                view.prepend(notice);
            }
        }
        if (title) {
            title.focus({preventScroll: true});
        }
        window.scrollTo(0, 0);
    }

    // Public pages -----------------------------------------------------------

    function renderLogin(view, current) {
        if (state.me) {
            go(home());
            return;
        }
        const login = el('input', {
            type: 'text', id: 'login-name', name: 'login',
            autocomplete: 'username', autocapitalize: 'off',
            spellcheck: 'false', value: current.params.get('login') || ''});
        const password = el('input', {
            type: 'password', id: 'login-password', name: 'password',
            autocomplete: 'current-password'});
        const form = el('form', {class: 'form', id: 'login-form'},
            field(t('login.login'), login),
            field(t('login.password'), password),
            el('button', {type: 'submit', class: 'button primary',
                text: t('login.submit')}));
        onSubmit(form, async () => {
            require([[t('login.login'), login.value],
                [t('login.password'), password.value]]);
            const me = await api('POST', 'login', {
                login: login.value.trim(), password: password.value});
            password.value = '';
            remember(me);
            const next = state.afterLogin;
            state.afterLogin = null;
            if (next && !/^#(login|welcome|reset|forgot)\b/.test(next)) {
                location.hash = next;
            } else {
                go(home());
            }
        });
        view.replaceChildren(heading(t('login.title')), form,
            el('p', {class: 'links'}, el('a', {
                href: '#forgot', id: 'forgot-link', text: t('login.forgot')})));
    }

    function renderPassword(kind) {
        return (view, current) => {
            const login = current.params.get('login') || '';
            const token = current.params.get('token') || '';
            const title = heading(t(kind + '.title'));
            if (!login || !token) {
                view.replaceChildren(title,
                    message('error', t('link.incomplete')),
                    el('p', {class: 'links'}, el('a', {
                        href: '#forgot', text: t('login.forgot')})));
                return;
            }
            const password = el('input', {
                type: 'password', id: 'new-password', minlength: '8',
                autocomplete: 'new-password'});
            const confirm = el('input', {
                type: 'password', id: 'confirm-password', minlength: '8',
                autocomplete: 'new-password'});
            const form = el('form', {class: 'form'},
                // Lets password managers store the new password
                el('input', {type: 'text', hidden: true, value: login,
                    autocomplete: 'username', 'aria-hidden': 'true',
                    tabindex: '-1'}),
                field(t('password.new'), password),
                field(t('password.confirm'), confirm),
                el('button', {type: 'submit', class: 'button primary',
                    text: t('password.submit')}));
            onSubmit(form, async () => {
                require([[t('password.new'), password.value]]);
                if (password.value !== confirm.value) {
                    throw new ApiError(0, t('password.mismatch'));
                }
                const data = await api('POST', 'password', {
                    login, token, password: password.value});
                flash(t('password.saved'));
                // The token is spent: keep it out of the history
                history.replaceState(null, '', '#login');
                go('login', {login: data.login || login});
            });
            view.replaceChildren(title,
                el('p', {class: 'intro', text: t(kind + '.intro', {login})}),
                form,
                el('p', {class: 'links'}, el('a', {
                    href: '#login', text: t('back.login')})));
        };
    }

    function renderForgot(view) {
        const login = el('input', {
            type: 'text', id: 'forgot-login', autocomplete: 'username',
            autocapitalize: 'off', spellcheck: 'false'});
        const form = el('form', {class: 'form'},
            field(t('login.login'), login),
            el('button', {type: 'submit', class: 'button primary',
                text: t('forgot.submit')}));
        onSubmit(form, async (messages) => {
            require([[t('login.login'), login.value]]);
            const data = await api('POST', 'forgot', {login: login.value.trim()});
            showNotice(messages, data.message);
        });
        view.replaceChildren(heading(t('forgot.title')),
            el('p', {class: 'intro', text: t('forgot.intro')}), form,
            el('p', {class: 'links'}, el('a', {
                href: '#login', text: t('back.login')})));
    }

    register('login', renderLogin, {public: true});
    register('welcome', renderPassword('welcome'), {public: true});
    register('reset', renderPassword('reset'), {public: true});
    register('forgot', renderForgot, {public: true});

    // Start ------------------------------------------------------------------

    async function start() {
        applyLanguage();
        document.getElementById('language').addEventListener('click',
            (event) => setLanguage(event.currentTarget.dataset.language));
        document.getElementById('logout').addEventListener('click',
            async () => {
                try {
                    await logout();
                } catch (error) {
                    const view = document.querySelector('#main .view');
                    const messages = el('div', {class: 'messages'});
                    view.prepend(messages);
                    showError(messages, error);
                }
            });
        try {
            await loadMenu();
        } catch (error) {
            const main = document.getElementById('main');
            const messages = el('div', {class: 'messages'});
            main.replaceChildren(messages, el('button', {
                type: 'button', class: 'button secondary',
                text: t('retry'), onclick: () => location.reload()}));
            showError(messages, error);
            return;
        }
        window.addEventListener('hashchange', () => route());
        await route();
    }

    window.Portal = Object.freeze({
        register,
        hook,
        runHooks,
        strings,
        stylesheet,
        t,
        api,
        ApiError,
        go,
        flash,
        el,
        field,
        radio,
        heading,
        message,
        showError,
        showNotice,
        onSubmit,
        require,
        formatDate,
        formatDateTime,
        pageTitle,
        language: () => state.language,
        setLanguage,
        me: () => state.me,
    });

    start();
})();
