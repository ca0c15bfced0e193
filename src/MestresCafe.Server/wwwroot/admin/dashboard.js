// Back-office dashboard: signs in through /api/auth (the access token lives in sessionStorage, so
// it ends with the tab), then draws the reports of /api/admin/reports with Chart.js. Every chart
// is reloaded when the range or the grouping changes. <body data-state> tells where the page is
// (login, loading, ready, forbidden, error): the browser tests wait on it.
(() => {
  'use strict';

  const SESSION_KEY = 'mestrescafe.dashboard.session';
  const ZONE = 'America/Sao_Paulo';
  const DAY_MS = 86_400_000;
  const brl = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' });
  const brlAxis = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL', notation: 'compact' });
  const integer = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 0 });
  const shortDate = new Intl.DateTimeFormat('pt-BR', { day: '2-digit', month: '2-digit', timeZone: 'UTC' });
  const longDate = new Intl.DateTimeFormat('pt-BR', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
  const monthYear = new Intl.DateTimeFormat('pt-BR', { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const clock = new Intl.DateTimeFormat('pt-BR', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const COLORS = {
    coffee: '#6b3e26', gold: '#b8862f', green: '#2f6f4e', red: '#b23a48', slate: '#7a8591', blue: '#3f6ea5',
  };
  const TIER_COLORS = { Bronze: '#9c5a2e', Prata: '#8a96a3', Ouro: '#c79a1e', Diamante: '#3f8fb8' };

  const $ = (id) => document.getElementById(id);
  const view = {
    notice: $('notice'), login: $('login-view'), loginForm: $('login-form'), loginError: $('login-error'),
    email: $('email'), password: $('password'), dashboard: $('dashboard-view'), session: $('session'),
    who: $('who'), logout: $('logout'), filters: $('filters'), from: $('from'), to: $('to'),
    groupBy: $('group-by'), status: $('status'),
  };

  // ---- session and API ---------------------------------------------------------------------

  const session = {
    get() {
      try { return JSON.parse(sessionStorage.getItem(SESSION_KEY)); } catch { return null; }
    },
    set(value) { sessionStorage.setItem(SESSION_KEY, JSON.stringify(value)); },
    clear() { sessionStorage.removeItem(SESSION_KEY); },
  };

  class HttpError extends Error {
    constructor(status, problem, retryAfter) {
      super(problem?.detail || problem?.title || `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
      this.retryAfter = retryAfter;
    }
  }

  async function problemOf(response) {
    try { return await response.json(); } catch { return null; }
  }

  async function send(path, { method = 'GET', body, token, signal } = {}) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    return fetch(path, { method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  // One refresh at a time: a refresh token is single-use, and presenting it twice ends the session.
  let refreshing = null;
  function refreshSession(stale) {
    if (!refreshing) {
      refreshing = (async () => {
        try {
          const response = await send('/api/auth/refresh', { method: 'POST', body: { refreshToken: stale.refreshToken } });
          if (!response.ok) return false;
          const tokens = await response.json();
          session.set({ ...stale, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
          return true;
        } catch {
          return false;
        } finally {
          refreshing = null;
        }
      })();
    }
    return refreshing;
  }

  async function api(path, { signal, method, body } = {}) {
    for (let attempt = 0; ; attempt++) {
      const current = session.get();
      const response = await send(path, { method, body, signal, token: current?.accessToken });
      if (response.status === 401 && attempt === 0 && current?.refreshToken) {
        // Another request may have refreshed the token meanwhile; else try the refresh token once.
        const latest = session.get();
        if (latest && latest.accessToken !== current.accessToken) continue;
        if (await refreshSession(current)) continue;
      }
      if (!response.ok) throw new HttpError(response.status, await problemOf(response));
      return response.status === 204 ? null : response.json();
    }
  }

  // ---- views -------------------------------------------------------------------------------

  function setState(state) { document.body.dataset.state = state; }

  function showNotice(text, kind = 'error') {
    view.notice.textContent = text;
    view.notice.className = `notice ${kind}`;
    view.notice.hidden = !text;
  }

  function showLogin(message, kind) {
    clearData();
    view.dashboard.hidden = true;
    view.session.hidden = true;
    view.login.hidden = false;
    showNotice(message || '', kind);
    setState('login');
    view.email.focus();
  }

  function showForbidden() {
    clearData();
    view.dashboard.hidden = true;
    view.login.hidden = true;
    view.session.hidden = false;
    showNotice('Acesso não permitido: esta conta não tem permissão para ver os relatórios do painel. '
      + 'Entre com uma conta da administração ou da gerência.');
    setState('forbidden');
  }

  function showError(error) {
    if (error.status === 401) {
      session.clear();
      showLogin('Sua sessão expirou ou não é mais válida. Entre novamente.');
    } else if (error.status === 403) {
      showForbidden();
    } else if (error.status === 400 && error.problem?.errors) {
      const messages = Object.values(error.problem.errors).flat().join(' ');
      view.status.textContent = `Período inválido: ${messages}`;
      setState('invalid');
    } else {
      showNotice(`Não foi possível carregar os relatórios (${error.status ? `HTTP ${error.status}: ` : ''}${error.message}).`);
      setState('error');
    }
  }

  // No report data stays on the page once the session is gone or not allowed.
  function clearData() {
    for (const canvas of document.querySelectorAll('canvas')) window.Chart?.getChart(canvas)?.destroy();
    for (const table of document.querySelectorAll('[data-table-for]')) table.replaceChildren();
    for (const empty of document.querySelectorAll('[data-empty-for]')) empty.hidden = true;
    for (const kpi of document.querySelectorAll('#kpis dd')) kpi.textContent = '–';
    document.getElementById('health-view').hidden = true;
    view.status.textContent = '';
  }

  async function enter() {
    showNotice('');
    view.login.hidden = true;
    setState('loading');
    const me = await api('/api/me');
    view.who.textContent = me.firstName ? `${me.firstName} (${me.email})` : me.email;
    // Only asked for when the account may read it (the server checks again): no 403 on every load.
    canSeeHealth = (me.permissions || []).includes('audit:read');
    view.session.hidden = false;
    // The reports API decides who may read them: a 403 from it shows the "not allowed" notice.
    await reload();
  }

  // ---- dates -------------------------------------------------------------------------------

  const toIso = (ms) => new Date(ms).toISOString().slice(0, 10);
  const parseIso = (text) => Date.parse(`${text}T00:00:00Z`);
  const todayInBrazil = () => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());

  function setDefaultRange() {
    const today = parseIso(todayInBrazil());
    view.from.value = toIso(today - 29 * DAY_MS);
    view.to.value = toIso(today);
  }

  // The inputs are inclusive; the API's range is [from, to).
  function readRange() {
    const from = view.from.value;
    const to = view.to.value;
    if (!from || !to) return { error: 'Informe as duas datas.' };
    if (parseIso(to) < parseIso(from)) return { error: 'A data final deve ser igual ou posterior à inicial.' };
    return { from, to, toExclusive: toIso(parseIso(to) + DAY_MS), groupBy: view.groupBy.value };
  }

  function periodLabel(period, groupBy) {
    const date = new Date(parseIso(period));
    if (groupBy === 'month') return monthYear.format(date);
    if (groupBy === 'week') return `sem. ${shortDate.format(date)}`;
    return shortDate.format(date);
  }

  // ---- charts and tables ---------------------------------------------------------------------

  const money = (value) => brl.format(Number(value) || 0);
  const count = (value) => integer.format(Number(value) || 0);
  const plain = (value) => (value === null || value === undefined ? '' : String(value));
  const shorten = (text, max = 34) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

  function draw(canvasId, config) {
    const canvas = $(canvasId);
    const chart = window.Chart.getChart(canvas);
    if (chart) {
      chart.data = config.data;
      chart.options = config.options;
      chart.update();
    } else {
      new window.Chart(canvas, config);
    }
  }

  function moneyAxis(position = 'left') {
    return { position, beginAtZero: true, ticks: { callback: (value) => brlAxis.format(value) } };
  }

  function countAxis(position = 'right', grid = false) {
    return { position, beginAtZero: true, grid: { drawOnChartArea: grid }, ticks: { precision: 0 } };
  }

  function tooltip(formatters) {
    return {
      callbacks: {
        label: (item) => `${item.dataset.label}: ${(formatters[item.datasetIndex] || count)(item.raw)}`,
      },
    };
  }

  function setEmpty(name, empty) {
    const note = document.querySelector(`[data-empty-for="${name}"]`);
    if (note) note.hidden = !empty;
  }

  function table(name, caption, columns, rows) {
    const container = document.querySelector(`[data-table-for="${name}"]`);
    const element = document.createElement('table');
    const captionElement = element.createCaption();
    captionElement.textContent = caption;
    const head = element.createTHead().insertRow();
    for (const column of columns) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = column.label;
      th.className = column.numeric ? 'num' : column.code ? 'code' : '';
      head.append(th);
    }
    const body = element.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const column of columns) {
        const cell = tr.insertCell();
        cell.textContent = (column.format || plain)(row[column.key], row);
        cell.className = column.numeric ? 'num' : column.code ? 'code' : '';
      }
    }
    if (rows.length === 0) {
      const cell = body.insertRow().insertCell();
      cell.colSpan = columns.length;
      cell.textContent = 'Sem dados.';
    }
    container.replaceChildren(element);
  }

  const REPORTS = [
    {
      name: 'sales',
      query: (range) => ({ from: range.from, to: range.toExclusive, groupBy: range.groupBy }),
      render(report, range) {
        const rows = report.rows;
        const totals = rows.reduce((sum, row) => ({
          orders: sum.orders + Number(row.orders), net: sum.net + Number(row.net_revenue), refunds: sum.refunds + Number(row.refunds),
        }), { orders: 0, net: 0, refunds: 0 });
        $('kpi-orders').textContent = count(totals.orders);
        $('kpi-net').textContent = money(totals.net);
        $('kpi-aov').textContent = totals.orders ? money(totals.net / totals.orders) : '–';
        $('kpi-refunds').textContent = money(totals.refunds);
        setEmpty('sales', totals.orders === 0);
        draw('sales-chart', {
          data: {
            labels: rows.map((row) => periodLabel(row.period, range.groupBy)),
            datasets: [
              { type: 'bar', label: 'Receita líquida', data: rows.map((row) => Number(row.net_revenue)), backgroundColor: COLORS.coffee, yAxisID: 'y' },
              { type: 'line', label: 'Pedidos', data: rows.map((row) => Number(row.orders)), borderColor: COLORS.gold, backgroundColor: COLORS.gold, yAxisID: 'y1', cubicInterpolationMode: 'monotone', pointRadius: 2 },
            ],
          },
          options: { scales: { y: moneyAxis(), y1: countAxis() }, plugins: { tooltip: tooltip([money, count]) } },
        });
        table('sales', 'Vendas por período', [
          { key: 'period', label: 'Período', format: (value) => periodLabel(value, range.groupBy) },
          { key: 'orders', label: 'Pedidos', numeric: true, format: count },
          { key: 'gross_revenue', label: 'Receita bruta', numeric: true, format: money },
          { key: 'refunds', label: 'Estornos', numeric: true, format: money },
          { key: 'net_revenue', label: 'Receita líquida', numeric: true, format: money },
          { key: 'average_order_value', label: 'Ticket médio', numeric: true, format: money },
          { key: 'discounts', label: 'Descontos', numeric: true, format: money },
        ], rows);
      },
    },
    {
      name: 'top-products',
      query: (range) => ({ from: range.from, to: range.toExclusive, limit: '10' }),
      render(report) {
        const rows = report.rows;
        setEmpty('top-products', rows.length === 0);
        draw('top-products-chart', {
          type: 'bar',
          data: {
            labels: rows.map((row) => shorten(row.name)),
            datasets: [{ label: 'Receita dos itens', data: rows.map((row) => Number(row.item_revenue)), backgroundColor: COLORS.green }],
          },
          options: { indexAxis: 'y', scales: { x: moneyAxis('bottom') }, plugins: { legend: { display: false }, tooltip: tooltip([money]) } },
        });
        table('top-products', 'Produtos mais vendidos', [
          { key: 'sku', label: 'SKU', code: true },
          { key: 'name', label: 'Produto' },
          { key: 'units', label: 'Unidades', numeric: true, format: count },
          { key: 'orders', label: 'Pedidos', numeric: true, format: count },
          { key: 'item_revenue', label: 'Receita dos itens', numeric: true, format: money },
        ], rows);
      },
    },
    {
      name: 'coupons',
      query: (range) => ({ from: range.from, to: range.toExclusive, limit: '10' }),
      render(report) {
        const rows = report.rows;
        setEmpty('coupons', rows.length === 0);
        draw('coupons-chart', {
          type: 'bar',
          data: {
            labels: rows.map((row) => row.code),
            datasets: [
              { label: 'Desconto concedido', data: rows.map((row) => Number(row.discount_given)), backgroundColor: COLORS.red, yAxisID: 'y' },
              { label: 'Usos', data: rows.map((row) => Number(row.uses)), backgroundColor: COLORS.slate, yAxisID: 'y1' },
            ],
          },
          options: { scales: { y: moneyAxis(), y1: countAxis() }, plugins: { tooltip: tooltip([money, count]) } },
        });
        table('coupons', 'Desempenho dos cupons', [
          { key: 'code', label: 'Cupom', code: true },
          { key: 'uses', label: 'Usos', numeric: true, format: count },
          { key: 'discount_given', label: 'Desconto concedido', numeric: true, format: money },
          { key: 'net_revenue', label: 'Receita líquida dos pedidos', numeric: true, format: money },
          { key: 'average_order_value', label: 'Ticket médio', numeric: true, format: money },
        ], rows);
      },
    },
    {
      name: 'stock-alerts',
      query: () => ({}),
      render(report) {
        const rows = report.rows;
        const charted = rows.slice(0, 12);
        setEmpty('stock-alerts', rows.length === 0);
        draw('stock-alerts-chart', {
          type: 'bar',
          data: {
            labels: charted.map((row) => row.sku),
            datasets: [
              { label: 'Disponível', data: charted.map((row) => Number(row.available)), backgroundColor: COLORS.red },
              { label: 'Ponto de reposição', data: charted.map((row) => Number(row.reorder_point)), backgroundColor: COLORS.slate },
            ],
          },
          options: {
            indexAxis: 'y',
            scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
            plugins: { tooltip: { callbacks: { title: (items) => charted[items[0].dataIndex]?.name ?? '' } } },
          },
        });
        table('stock-alerts', 'Itens no ponto de reposição ou abaixo dele', [
          { key: 'sku', label: 'SKU', code: true },
          { key: 'name', label: 'Item' },
          { key: 'location', label: 'Local' },
          { key: 'available', label: 'Disponível', numeric: true, format: count },
          { key: 'reserved', label: 'Reservado', numeric: true, format: count },
          { key: 'reorder_point', label: 'Ponto de reposição', numeric: true, format: count },
          { key: 'reorder_quantity', label: 'Repor', numeric: true, format: count },
        ], rows);
      },
    },
    {
      name: 'loyalty-tiers',
      query: () => ({}),
      render(report) {
        const rows = report.rows;
        setEmpty('loyalty-tiers', rows.length === 0);
        draw('loyalty-tiers-chart', {
          type: 'bar',
          data: {
            labels: rows.map((row) => row.tier),
            datasets: [{
              label: 'Membros',
              data: rows.map((row) => Number(row.members)),
              backgroundColor: rows.map((row) => TIER_COLORS[row.tier] || COLORS.blue),
            }],
          },
          options: { scales: { y: countAxis('left', true) }, plugins: { legend: { display: false }, tooltip: tooltip([count]) } },
        });
        table('loyalty-tiers', 'Membros e pontos por nível', [
          { key: 'tier', label: 'Nível' },
          { key: 'members', label: 'Membros', numeric: true, format: count },
          { key: 'points_outstanding', label: 'Pontos em saldo', numeric: true, format: count },
          { key: 'points_earned_lifetime', label: 'Pontos ganhos (total)', numeric: true, format: count },
        ], rows);
      },
    },
    {
      name: 'loyalty-points',
      query: (range) => ({ from: range.from, to: range.toExclusive }),
      render(report) {
        const row = report.rows[0] || {};
        const flows = [
          ['Ganhos', 'points_earned', COLORS.green], ['Resgatados', 'points_redeemed', COLORS.gold],
          ['Expirados', 'points_expired', COLORS.slate], ['Estornados', 'points_reversed', COLORS.red],
        ];
        draw('loyalty-points-chart', {
          type: 'bar',
          data: {
            labels: flows.map(([label]) => label),
            datasets: [{ label: 'Pontos', data: flows.map(([, key]) => Number(row[key]) || 0), backgroundColor: flows.map(([, , color]) => color) }],
          },
          options: { scales: { y: countAxis('left', true) }, plugins: { legend: { display: false }, tooltip: tooltip([count]) } },
        });
        table('loyalty-points', 'Pontos no período', [
          { key: 'points_earned', label: 'Ganhos', numeric: true, format: count },
          { key: 'points_redeemed', label: 'Resgatados', numeric: true, format: count },
          { key: 'points_expired', label: 'Expirados', numeric: true, format: count },
          { key: 'points_reversed', label: 'Estornados', numeric: true, format: count },
          { key: 'active_members', label: 'Membros ativos no período', numeric: true, format: count },
          { key: 'members', label: 'Membros (agora)', numeric: true, format: count },
        ], report.rows);
      },
    },
  ];

  // ---- system health (needs audit:read; not asked for by accounts without it) -------------------

  const HEALTH_STATUS = { healthy: 'saudável', degraded: 'degradado', unhealthy: 'fora do ar' };

  let canSeeHealth = false;

  async function loadHealth(signal) {
    const card = document.getElementById('health-view');
    if (!canSeeHealth) {
      card.hidden = true;
      return;
    }
    let health;
    try {
      health = await api('/api/admin/system-health', { signal });
    } catch (error) {
      // Permissions changed since sign-in: no card, not an error.
      card.hidden = true;
      if (error.status === 403 || error.name === 'AbortError') return;
      throw error;
    }
    document.getElementById('health-overall').textContent = HEALTH_STATUS[health.status] || health.status;
    card.dataset.status = health.status;
    table('system-health', 'Serviços por servidor', [
      { key: 'serverName', label: 'Servidor', code: true },
      { key: 'serviceName', label: 'Serviço', code: true },
      { key: 'status', label: 'Situação', format: (value) => HEALTH_STATUS[value] || value },
      { key: 'responseTimeMs', label: 'Resposta (ms)', numeric: true, format: (value) => value ?? '–' },
      { key: 'checkedAt', label: 'Verificado às', format: (value) => clock.format(new Date(value)) },
      { key: 'errorMessage', label: 'Detalhe', format: (value) => value || '' },
    ], health.services);
    card.hidden = false;
  }

  // ---- loading -------------------------------------------------------------------------------

  let generation = 0;
  let inFlight = null;

  async function reload() {
    const range = readRange();
    if (range.error) {
      view.status.textContent = range.error;
      setState('invalid');
      return;
    }
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    const mine = ++generation;
    setState('loading');
    view.dashboard.setAttribute('aria-busy', 'true');
    view.status.textContent = 'Carregando os relatórios…';
    try {
      const health = loadHealth(controller.signal);
      const reports = await Promise.all(REPORTS.map((report) =>
        api(`/api/admin/reports/${report.name}?${new URLSearchParams(report.query(range))}`, { signal: controller.signal })));
      await health;
      if (mine !== generation) return;
      view.dashboard.hidden = false;
      REPORTS.forEach((report, i) => report.render(reports[i], range));
      view.status.textContent = `De ${longDate.format(new Date(parseIso(range.from)))} a ${longDate.format(new Date(parseIso(range.to)))}`
        + ` · atualizado às ${clock.format(new Date())}`;
      document.body.dataset.range = `${range.from}/${range.to}/${range.groupBy}`;
      setState('ready');
    } catch (error) {
      if (mine === generation && error.name !== 'AbortError') showError(error);
    } finally {
      if (mine === generation) view.dashboard.removeAttribute('aria-busy');
    }
  }

  // A date typed digit by digit changes several times in a row: reload once it settles.
  let pending = 0;
  function reloadSoon() {
    clearTimeout(pending);
    pending = setTimeout(reload, 250);
  }

  function loginMessage(error) {
    switch (error.status) {
      case 400:
      case 401: return 'E-mail ou senha inválidos.';
      case 403: return 'Esta conta está desativada.';
      case 423:
      case 429: return `Muitas tentativas. Tente de novo em ${error.retryAfter || 'alguns'} segundos.`;
      default: return `Não foi possível entrar (${error.message}).`;
    }
  }

  async function onLogin(event) {
    event.preventDefault();
    view.loginError.hidden = true;
    const email = view.email.value.trim();
    const password = view.password.value;
    if (!email || !password) {
      view.loginError.textContent = 'Informe o e-mail e a senha.';
      view.loginError.hidden = false;
      return;
    }
    const button = view.loginForm.querySelector('button');
    button.disabled = true;
    try {
      const response = await send('/api/auth/login', { method: 'POST', body: { email, password } });
      if (!response.ok) {
        throw new HttpError(response.status, await problemOf(response), response.headers.get('Retry-After'));
      }
      const tokens = await response.json();
      session.set({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
      view.password.value = '';
      await enter();
    } catch (error) {
      if (session.get()) {
        showError(error);
      } else {
        view.loginError.textContent = loginMessage(error);
        view.loginError.hidden = false;
        setState('login');
      }
    } finally {
      button.disabled = false;
    }
  }

  async function onLogout() {
    const current = session.get();
    session.clear();
    showLogin('Você saiu.', 'info');
    if (current) {
      try { await send('/api/auth/logout', { method: 'POST', token: current.accessToken }); } catch { /* the token expires anyway */ }
    }
  }

  function start() {
    if (!window.Chart) {
      showNotice('A biblioteca de gráficos (Chart.js) não carregou; recarregue a página.');
      setState('error');
      return;
    }
    window.Chart.defaults.maintainAspectRatio = false;
    window.Chart.defaults.locale = 'pt-BR';
    window.Chart.defaults.datasets.bar.maxBarThickness = 36;
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    if (window.matchMedia('(prefers-reduced-motion: reduce)').matches) window.Chart.defaults.animation = false;

    setDefaultRange();
    view.loginForm.addEventListener('submit', onLogin);
    view.logout.addEventListener('click', onLogout);
    view.filters.addEventListener('submit', (event) => { event.preventDefault(); reload(); });
    view.from.addEventListener('change', reloadSoon);
    view.to.addEventListener('change', reloadSoon);
    view.groupBy.addEventListener('change', reload);

    if (session.get()) {
      enter().catch(showError);
    } else {
      showLogin();
    }
  }

  start();
})();
