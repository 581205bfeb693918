// The first regulator portal's page logic (served at /legacy/ until each tab has its view in the new UI): plain browser JavaScript over the JSON API, no build step.
const $ = (sel) => document.querySelector(sel)

function esc(v) {
  return String(v ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  )
}

// The CSRF token of the signed-in session: state-changing requests carry it in x-csrf-token.
let csrf = null

async function answer(res) {
  const body = await res.json()
  if (res.status === 401 && csrf !== null) signedOut()
  if (!res.ok) throw new Error(body.message ?? `HTTP ${res.status}`)
  return body
}

async function api(path, params) {
  const q = new URLSearchParams(Object.entries(params ?? {}).filter(([, v]) => v !== '' && v !== undefined))
  return answer(await fetch(`${path}?${q}`))
}

async function send(method, path, body) {
  const headers = { ...(csrf ? { 'x-csrf-token': csrf } : {}) }
  if (body !== undefined) headers['content-type'] = 'application/json'
  return answer(
    await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  )
}

function signedIn(who) {
  csrf = who.csrfToken ?? ''
  $('#whoami').textContent = `${who.user} (${who.roles.join(', ') || 'no role'})`
  $('#signout').hidden = false
  show(location.hash.slice(1) || 'overview')
}

function signedOut() {
  csrf = null
  $('#whoami').textContent = ''
  $('#signout').hidden = true
  show('signin')
}

async function signIn(form) {
  const f = Object.fromEntries(new FormData(form))
  try {
    const who = await send('POST', '/api/session', f)
    form.reset()
    $('#signin-result').innerHTML = ''
    signedIn(who)
  } catch (e) {
    showError('#signin-result', e)
  }
}

function table(rows, columns) {
  if (!rows.length) return '<p>Nothing found.</p>'
  const head = columns.map((c) => `<th>${esc(c.label)}</th>`).join('')
  const body = rows
    .map(
      (r) =>
        `<tr>${columns.map((c) => `<td class="${c.num ? 'num' : ''}">${c.html ? c.html(r) : esc(c.get ? c.get(r) : r[c.key])}</td>`).join('')}</tr>`,
    )
    .join('')
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`
}

function etTime(ns) {
  // Eastern Time rendering is done by the server for lifecycles; here ns are shown as UTC ISO times.
  const ms = Number(BigInt(ns) / 1000000n)
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC')
}

function showError(target, e) {
  $(target).innerHTML = `<p class="error">${esc(e.message)}</p>`
}

async function overview() {
  try {
    const s = await api('/api/summary')
    $('#overview-dates').innerHTML = table(s.dates, [
      { label: 'Event date', key: 'event_date' },
      { label: 'Records', key: 'records', num: true },
      { label: 'Reporters', key: 'reporters', num: true },
      { label: 'Lifecycles', key: 'lifecycles', num: true },
    ])
    $('#overview-reporters').innerHTML = table(s.reporters, [
      { label: 'Reporter', key: 'reporter' },
      { label: 'Files', key: 'files', num: true },
      { label: 'Records', key: 'records', num: true },
      { label: 'Rejected', key: 'rejected', num: true },
      { label: 'Error rate %', key: 'error_rate_pct', num: true },
    ])
    $('#overview-linkage').innerHTML = table(s.linkage, [
      { label: 'Linkage type', key: 'linkage_type' },
      { label: 'Code', key: 'code' },
      { label: 'Meaning', key: 'title' },
      { label: 'Findings', key: 'findings', num: true },
    ])
  } catch (e) {
    showError('#overview-dates', e)
  }
}

function renderTree(lc) {
  const key = (x) => `${x.reporter}|${x.firmROEID}`
  const byKey = new Map(lc.events.map((e) => [key(e), e]))
  const children = new Map()
  const hasParent = new Set()
  for (const l of lc.links) {
    const from = key(l.from)
    if (!children.has(from)) children.set(from, [])
    children.get(from).push({ kind: l.kind, to: key(l.to) })
    hasParent.add(key(l.to))
  }
  const seen = new Set()
  const node = (k, kind) => {
    if (seen.has(k)) return ''
    seen.add(k)
    const e = byKey.get(k)
    if (!e) return ''
    const terms = [e.side, e.quantity, e.price ? `@ ${e.price}` : ''].filter(Boolean).join(' ')
    const kids = (children.get(k) ?? []).map((c) => node(c.to, c.kind)).join('')
    return `<li data-event="${esc(k)}">${kind ? `<span class="kind">${esc(kind)} →</span> ` : ''}<span class="reporter">${esc(e.reporter)}</span> ${esc(e.type)} <span class="badge">${esc(e.eventTimestamp)}</span> ${esc(e.firmROEID)} ${esc(terms)}${kids ? `<ul>${kids}</ul>` : ''}</li>`
  }
  const roots = lc.events.map(key).filter((k) => !hasParent.has(k))
  const reporters = [...new Set(lc.events.map((e) => e.reporter))]
  return `<p><strong>${esc(lc.lifecycleId)}</strong> · ${lc.events.length} events across ${reporters.length} reporters (${esc(reporters.join(', '))})</p><div class="tree"><ul>${roots.map((r) => node(r)).join('')}</ul></div>`
}

async function lifecycle(form) {
  const f = new FormData(form)
  try {
    const lc = await api('/api/lifecycle', {
      id: f.get('id'),
      reporter: f.get('reporter'),
      firmROEID: f.get('firmROEID'),
    })
    $('#lifecycle-result').innerHTML = renderTree(lc)
  } catch (e) {
    showError('#lifecycle-result', e)
  }
}

async function customer(form) {
  const f = Object.fromEntries(new FormData(form))
  try {
    const c = await api('/api/customer', f)
    $('#customer-result').innerHTML =
      `<h2>${esc(c.ccids.join(', '))}</h2>` +
      table(c.accounts, [
        { label: 'Firm', key: 'firm' },
        { label: 'CRD', key: 'crd' },
        { label: 'IMIDs', get: (r) => r.imids.join(', ') },
        { label: 'FDID', key: 'fdid' },
        { label: 'Role', key: 'role' },
        { label: 'LTIDs', get: (r) => r.ltids.join(', ') },
      ]) +
      `<h2>${c.events.length} events</h2>` +
      table(c.events, [
        { label: 'Time', get: (r) => etTime(r.eventNs) },
        { label: 'Reporter', key: 'reporter' },
        { label: 'Type', key: 'type' },
        { label: 'Symbol', key: 'symbol' },
        { label: 'Side', key: 'side' },
        { label: 'Quantity', key: 'quantity', num: true },
        { label: 'Price', key: 'price', num: true },
        {
          label: 'Lifecycle',
          html: (r) =>
            r.lifecycleIds
              .map((id) => `<a href="#lifecycle" data-lifecycle="${esc(id)}">${esc(id)}</a>`)
              .join(' '),
        },
      ])
  } catch (e) {
    showError('#customer-result', e)
  }
}

async function market(form) {
  const f = Object.fromEntries(new FormData(form))
  try {
    const [book, nbbo] = await Promise.all([
      api('/api/book', f),
      api('/api/nbbo', { symbol: f.symbol, at: f.at }),
    ])
    const quote = (price, size, venues) =>
      price === null ? '—' : `${esc(price)} × ${size} (${esc(venues.join(', '))})`
    $('#market-nbbo').innerHTML =
      `<p>NBBO at ${esc(nbbo.at)} ET: bid <strong>${quote(nbbo.bid, nbbo.bidSize, nbbo.bidVenues)}</strong>` +
      ` · ask <strong>${quote(nbbo.ask, nbbo.askSize, nbbo.askVenues)}</strong></p>` +
      (nbbo.crossed
        ? '<p class="market-flag">CROSSED: the best bid is above the best offer across venues</p>'
        : nbbo.locked
          ? '<p class="market-flag">LOCKED: the best bid equals the best offer across venues</p>'
          : '')
    const rows = []
    for (let i = 0; i < Math.max(book.bids.length, book.asks.length); i++)
      rows.push({ bid: book.bids[i], ask: book.asks[i] })
    $('#market-result').innerHTML =
      `<p>${esc(book.venue)} ${esc(book.symbol)} · ${esc(book.status)} · ${book.applied} events applied</p>` +
      (book.notice
        ? `<p class="market-flag">${book.crossed ? 'CROSSED' : 'LOCKED'}: ${esc(book.notice)}</p>`
        : '') +
      table(rows, [
        { label: 'Bid orders', get: (r) => r.bid?.orders ?? '', num: true },
        { label: 'Bid size', get: (r) => r.bid?.size ?? '', num: true },
        { label: 'Bid', get: (r) => r.bid?.price ?? '', num: true },
        { label: 'Ask', get: (r) => r.ask?.price ?? '', num: true },
        { label: 'Ask size', get: (r) => r.ask?.size ?? '', num: true },
        { label: 'Ask orders', get: (r) => r.ask?.orders ?? '', num: true },
      ])
  } catch (e) {
    $('#market-nbbo').innerHTML = ''
    showError('#market-result', e)
  }
}

async function report(form) {
  const f = Object.fromEntries(new FormData(form))
  try {
    const r = await api('/api/report-card', f)
    $('#report-result').innerHTML =
      `<p>${esc(r.reporter)}: ${r.records} records, ${r.errors} errors, error rate <strong>${(100 * r.errorRate).toFixed(2)} %</strong> (maximum ${(100 * r.maxErrorRate).toFixed(2)} %) — <strong class="${r.withinLimit ? '' : 'error'}">${r.withinLimit ? 'within limit' : 'above limit'}</strong>; after repairs ${r.errorsAfterRepairs} errors, ${(100 * r.errorRateAfterRepairs).toFixed(2)} %</p>` +
      table(r.stages, [
        { label: 'Stage', key: 'stage' },
        { label: 'Errors', key: 'errors', num: true },
        { label: 'Outstanding', key: 'outstanding', num: true },
      ]) +
      table(r.byCode, [
        { label: 'Code', key: 'code' },
        { label: 'Count', key: 'count', num: true },
        { label: 'Meaning', key: 'title' },
      ])
  } catch (e) {
    showError('#report-result', e)
  }
}

async function alerts(form) {
  const f = Object.fromEntries(new FormData(form))
  $('#alert-evidence').innerHTML = ''
  try {
    const a = await api('/api/alerts', f)
    $('#alerts-result').innerHTML =
      `<p>${a.run === null ? 'No surveillance run for this date.' : `Run ${a.run} of ${a.runs.length}: ${a.alerts.length} alerts`}</p>` +
      table(a.alerts, [
        { label: 'Kind', key: 'kind' },
        { label: 'Symbol', key: 'symbol' },
        { label: 'From', get: (r) => etTime(r.from) },
        { label: 'To', get: (r) => etTime(r.to) },
        { label: 'Score', key: 'score', num: true },
        { label: 'Reason', key: 'reason' },
        {
          label: 'Evidence',
          html: (r) =>
            `<button type="button" data-alert="${esc(r.id)}" data-date="${esc(f.date)}">${esc(r.id)}</button>`,
        },
      ])
  } catch (e) {
    $('#alerts-result').innerHTML = ''
    showError('#alerts-result', e)
  }
}

async function evidence(date, id) {
  try {
    const ev = await api('/api/alerts/evidence', { date, alert: id })
    const side = (q, p, s) => (q[p] === null ? '—' : `${esc(q[p])} × ${esc(q[s])}`)
    const nbbo = (snap) => `${side(snap.nbbo, 'bid', 'bidSize')} / ${side(snap.nbbo, 'ask', 'askSize')}`
    $('#alert-evidence').innerHTML =
      `<h2>Evidence of ${esc(ev.alert.id)}</h2><p>${esc(ev.alert.reason)}</p>` +
      `<p>${ev.current ? 'Current' : 'Withdrawn since'} (run ${ev.run} of ${ev.latestRun}); venues ${esc(ev.venues.join(', '))}</p>` +
      '<h3>Moments</h3>' +
      table(ev.moments, [
        { label: 'Time (ET)', key: 'time' },
        {
          label: 'Events',
          get: (m) =>
            m.events
              .map((e) => `${e.reporter} ${e.type} ${e.side ?? ''} ${e.quantity ?? ''}@${e.price ?? ''}`)
              .join('; '),
        },
        { label: 'NBBO before', get: (m) => nbbo(m.market.before) },
        { label: 'NBBO at', get: (m) => nbbo(m.market.at) },
        { label: 'NBBO after', get: (m) => nbbo(m.market.after) },
      ]) +
      '<h3>Lifecycles</h3>' +
      `<p class="alert-lifecycles">${ev.lifecycles.map((l) => `<a href="#lifecycle" data-lifecycle="${esc(l.lifecycleId)}">${esc(l.lifecycleId)}</a>`).join(' ')}</p>` +
      '<h3>Customers</h3>' +
      table(ev.customers, [
        { label: 'CCID', get: (c) => c.ccid ?? '(unknown)' },
        { label: 'Accounts', get: (c) => c.allAccounts.map((a) => `${a.reporter} ${a.fdid}`).join(', ') },
        { label: 'Events that day', key: 'totalEvents', num: true },
        { label: 'Symbols', get: (c) => c.symbols.map((s) => `${s.symbol} (${s.events})`).join(', ') },
      ])
  } catch (e) {
    showError('#alert-evidence', e)
  }
}

function show(page) {
  if (csrf === null) page = 'signin'
  else if (page === 'signin') page = 'overview'
  for (const s of document.querySelectorAll('.page')) s.classList.toggle('active', s.id === page)
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.page === page)
  if (page === 'overview') overview()
}

window.addEventListener('hashchange', () => show(location.hash.slice(1) || 'overview'))
$('#signin-form').addEventListener('submit', (e) => {
  e.preventDefault()
  signIn(e.target)
})
$('#signout').addEventListener('click', async () => {
  try {
    await send('DELETE', '/api/session')
  } finally {
    signedOut()
  }
})
$('#lifecycle-form').addEventListener('submit', (e) => {
  e.preventDefault()
  lifecycle(e.target)
})
$('#market-form').addEventListener('submit', (e) => {
  e.preventDefault()
  market(e.target)
})
$('#customer-form').addEventListener('submit', (e) => {
  e.preventDefault()
  customer(e.target)
})
$('#alerts-form').addEventListener('submit', (e) => {
  e.preventDefault()
  alerts(e.target)
})
$('#report-form').addEventListener('submit', (e) => {
  e.preventDefault()
  report(e.target)
})
document.addEventListener('click', (e) => {
  const alert = e.target.dataset?.alert
  if (alert) evidence(e.target.dataset.date, alert)
  const id = e.target.dataset?.lifecycle
  if (!id) return
  const form = $('#lifecycle-form')
  form.elements.id.value = id
  form.elements.reporter.value = ''
  form.elements.firmROEID.value = ''
  lifecycle(form)
})
// A page reloaded while its session lives goes on where it was; otherwise it asks to sign in.
fetch('/api/session')
  .then(async (res) => (res.ok ? signedIn(await res.json()) : signedOut()))
  .catch(() => signedOut())
