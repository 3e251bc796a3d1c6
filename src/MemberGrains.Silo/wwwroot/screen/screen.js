// MemberGrains store screen: scan a member card, show the member's view, keep it live.
//
// Contract (README, "Store screens"):
//   GET  api/members/{member}/view?store=…    → MemberView JSON (proto JSON: lowerCamelCase,
//                                              int64 as strings, money in fen), or
//                                              {code, field, message} with 400 / 404 / 503, or
//                                              {error, reason} with 401 / 403 (the screen's key
//                                              is missing, unknown, revoked or of another scope)
//   GET  api/members/{member}/events?store=…&seconds=600 → server-sent events: "view" (data: the
//                                              whole MemberView, id: its version) and "heartbeat"
// Page parameters: store, lang (zh-CN | en), key (sent as query key= and header x-api-key),
// idle (seconds a member's view stays without activity, default 60), stale (seconds without any
// event before the screen says the connection is lost, default 30: keep it above twice the
// silo's MemberGrains:Screens:HeartbeatSeconds).

import { LANGUAGES, TEXTS, PERKS } from './texts.js';

const MESSAGE_MS = 8_000; // unknown / invalid / unavailable screens return to scan after this
const FETCH_TIMEOUT_MS = 10_000;
const MAX_OFFERS = 8;
const MAX_REMINDERS = 4;
const MAX_TAGS = 8;

const params = new URLSearchParams(location.search);
const config = {
  store: (params.get('store') ?? '').trim(),
  key: params.get('key') ?? '',
  idleMs: seconds(params.get('idle'), 60) * 1000,
  staleMs: seconds(params.get('stale'), 30) * 1000,
  lang: LANGUAGES.includes(params.get('lang')) ? params.get('lang') : 'zh-CN',
};

const $ = (id) => document.getElementById(id);
const body = document.body;
const input = $('scan');

const app = {
  state: 'attract', // attract | loading | member | unknown | invalid | unavailable | key
  keyReason: '', // why the screen's key was refused (API_KEY_…), shown for staff
  member: '', // the member number whose view is shown or asked for
  session: 0, // grows with every scan; answers for an older scan are dropped
  view: null,
  version: -1n,
  shownBalance: null,
  source: null,
  reopenTimer: 0,
  reopenDelay: 2000,
  live: 'off', // off | connecting | live | lost
  lastEventAt: 0,
  lastActivityAt: Date.now(),
  messageTimer: 0,
};

// ---------- text and formatting ----------

function t(key, values = {}) {
  const text = TEXTS[config.lang][key] ?? TEXTS['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

function seconds(value, fallback) {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) && n >= 5 && n <= 3600 ? n : fallback;
}

function big(value) {
  try {
    return BigInt(value ?? 0);
  } catch {
    return 0n;
  }
}

function num(value) {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

const fmt = {
  points: (value) => new Intl.NumberFormat(config.lang).format(big(value)),
  money: (fen) =>
    new Intl.NumberFormat(config.lang, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2 })
      .format(num(fen) / 100),
  // "2026年12月31日" / "Dec 31, 2026"
  date: (text) => {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? '' : new Intl.DateTimeFormat(config.lang, { dateStyle: 'medium' }).format(date);
  },
  // "12月31日" / "Dec 31"
  shortDate: (text) => {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? '' : new Intl.DateTimeFormat(config.lang, { month: 'short', day: 'numeric' }).format(date);
  },
  days: (n) => t(new Intl.PluralRules(config.lang).select(n) === 'one' ? 'daysOne' : 'days', { n: new Intl.NumberFormat(config.lang).format(n) }),
  time: (date) => new Intl.DateTimeFormat(config.lang, { hour: '2-digit', minute: '2-digit', hour12: false }).format(date),
  decimal: (value) => new Intl.NumberFormat(config.lang, { maximumFractionDigits: 2 }).format(num(value)),
};

/** A timestamp as a Date, or null when missing or unreadable. */
function instant(text) {
  if (!text) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Whether two instants fall on the same day where the screen stands. */
function sameDay(a, b) {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

function atMidnight(date) {
  return date.getHours() === 0 && date.getMinutes() === 0;
}

/** The last day an end instant still covers: an end at midnight closes the day before. */
function lastDay(end) {
  return atMidnight(end) ? new Date(end.getTime() - 1) : end;
}

// "TIER_GOLD" → "GOLD"; proto JSON may also carry an enum as its number.
function enumName(value, prefix, byNumber) {
  if (typeof value === 'number') return byNumber[value] ?? '';
  const name = typeof value === 'string' && value.startsWith(prefix) ? value.slice(prefix.length) : '';
  return name === 'UNSPECIFIED' ? '' : name;
}
const TIERS = ['', 'REGULAR', 'SILVER', 'GOLD', 'PLATINUM'];
const STAGES = ['', 'PROSPECT', 'NEW', 'ACTIVE', 'LOYAL', 'AT_RISK', 'CHURNED'];
const tierName = (value) => enumName(value, 'TIER_', TIERS);
const stageName = (value) => enumName(value, 'LIFECYCLE_STAGE_', STAGES);

function localized(text) {
  if (!text) return '';
  const zh = text.zhCn ?? '';
  const en = text.en ?? '';
  return config.lang === 'en' ? en || zh : zh || en;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---------- what a scan holds ----------

/** The member number in a scan: a plain number, "MG:<number>", or a URL with member=<number>. */
export function memberNumber(scanned) {
  const text = scanned.trim();
  if (/^mg:/i.test(text)) return text.slice(3).trim();
  if (/^https?:\/\//i.test(text)) {
    try {
      const member = new URL(text).searchParams.get('member');
      if (member) return member.trim();
    } catch {
      // not a URL after all: let the server judge the text
    }
  }
  return text;
}

// ---------- server calls ----------

function apiUrl(member, what, extra = {}) {
  const url = new URL(`api/members/${encodeURIComponent(member)}/${what}`, location.href);
  url.search = '';
  if (config.store) url.searchParams.set('store', config.store);
  for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, String(value));
  if (config.key) url.searchParams.set('key', config.key);
  return url.toString();
}

/** The member's view: {status, view, reason} with status 200, 400, 401, 403, 404 or 503 (network trouble counts as 503). */
async function fetchView(member) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), FETCH_TIMEOUT_MS);
  try {
    const headers = { Accept: 'application/json' };
    if (config.key) headers['x-api-key'] = config.key;
    const response = await fetch(apiUrl(member, 'view'), { headers, cache: 'no-store', signal: abort.signal });
    if (response.ok) return { status: 200, view: await response.json() };
    if (response.status === 404 || response.status === 400) return { status: response.status };
    if (response.status === 401 || response.status === 403) return { status: response.status, reason: await refusalReason(response) };
    return { status: 503 };
  } catch {
    return { status: 503 };
  } finally {
    clearTimeout(timer);
  }
}

/** The reason code of a refused key ({error, reason}); empty when the body says none. */
async function refusalReason(response) {
  try {
    const body = await response.json();
    return typeof body?.reason === 'string' ? body.reason : '';
  } catch {
    return '';
  }
}

/** Whether an answer says the screen's key is refused (401 or 403): then the key state is shown. */
function keyRefused(answer) {
  if (answer.status !== 401 && answer.status !== 403) return false;
  app.keyReason = answer.reason || (answer.status === 403 ? 'API_KEY_SCOPE' : 'API_KEY_UNKNOWN');
  showMessage('key');
  return true;
}

// ---------- states ----------

function setState(state) {
  app.state = state;
  body.dataset.state = state;
  clearTimeout(app.messageTimer);
  if (state !== 'member') body.classList.remove('stale');
  renderFooter();
}

function resetToAttract() {
  closeFeed();
  app.session++;
  app.member = '';
  app.view = null;
  app.version = -1n;
  app.shownBalance = null;
  setState('attract');
  focusInput();
}

const ICONS = {
  unknown: '<svg viewBox="0 0 24 24"><rect x="3" y="6" width="18" height="12" rx="2" fill="none" stroke="currentColor" stroke-width="2"/><path d="M3 10h18" stroke="currentColor" stroke-width="2"/><path d="M15 14.5h3" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>',
  invalid: '<svg viewBox="0 0 24 24"><path d="M4 7V4h3M20 7V4h-3M4 17v3h3M20 17v3h-3" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/><path d="M9 9l6 6M15 9l-6 6" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"/></svg>',
  key: '<svg viewBox="0 0 24 24"><circle cx="8" cy="12" r="4" fill="none" stroke="currentColor" stroke-width="2"/><path d="M12 12h9M18 12v3M21 12v2" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/><path d="M3 3l18 18" stroke="currentColor" stroke-width="2" stroke-linecap="round" opacity=".6"/></svg>',
  unavailable: '<svg viewBox="0 0 24 24"><path d="M12 3v9" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"/><circle cx="12" cy="17.5" r="1.7" fill="currentColor"/><circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" stroke-width="2" opacity=".5"/></svg>',
  loading: '',
};

function showMessage(kind) {
  closeFeed();
  setState(kind);
  renderMessage();
  // A refused key is not mended by waiting or rescanning: that message stays (a scan still retries).
  if (kind !== 'loading' && kind !== 'key') {
    const ends = Date.now() + MESSAGE_MS;
    const tick = () => {
      if (app.state !== kind) return;
      const left = Math.ceil((ends - Date.now()) / 1000);
      if (left <= 0) {
        resetToAttract();
        return;
      }
      $('countdown-text').textContent = t('backIn', { s: left });
      app.messageTimer = setTimeout(tick, 250);
    };
    // Restart the countdown bar's animation.
    const bar = $('countdown').querySelector('i');
    bar.replaceWith(el('i'));
    $('countdown').style.setProperty('--wait', `${MESSAGE_MS}ms`);
    tick();
  }
}

function renderMessage() {
  const kind = app.state;
  $('message-icon').innerHTML = ICONS[kind] ?? '';
  $('message-title').textContent = kind === 'loading' ? t('loading') : t(`${kind}Title`);
  $('message-body').textContent = kind === 'loading' ? '' : t(`${kind}Body`, { reason: app.keyReason });
}

// ---------- scanning ----------

async function scan(raw) {
  const member = memberNumber(raw);
  if (!member) return;
  touch();
  closeFeed();
  const session = ++app.session;
  app.member = member;
  app.view = null;
  app.version = -1n;
  app.shownBalance = null;
  showMessage('loading');

  const answer = await fetchView(member);
  if (session !== app.session) return;
  if (answer.status === 200) {
    applyView(answer.view);
    openFeed();
  } else if (!keyRefused(answer)) {
    showMessage(answer.status === 404 ? 'unknown' : answer.status === 400 ? 'invalid' : 'unavailable');
  }
}

function focusInput() {
  if (document.activeElement !== input) input.focus({ preventScroll: true });
}

input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') {
    event.preventDefault();
    const value = input.value;
    input.value = '';
    scan(value);
  }
});
input.addEventListener('blur', () => setTimeout(focusInput, 0));
window.addEventListener('focus', focusInput);
document.addEventListener('pointerdown', (event) => {
  touch();
  // Buttons act but never take the focus from the scan field.
  if (event.target !== input) event.preventDefault();
  focusInput();
});
document.addEventListener('keydown', (event) => {
  touch();
  if (event.target !== input && event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) focusInput();
});

// ---------- live feed ----------

function openFeed() {
  closeFeed();
  const session = app.session;
  const source = new EventSource(apiUrl(app.member, 'events', { seconds: 600 }));
  app.source = source;
  app.lastEventAt = Date.now();
  setLive('connecting');

  source.onopen = () => {
    if (session !== app.session) return;
    alive();
    app.reopenDelay = 2000;
    // A message missed while the connection was down never leaves a stale screen.
    refresh(session);
  };
  source.addEventListener('view', (event) => {
    if (session !== app.session) return;
    alive();
    try {
      applyView(JSON.parse(event.data), event.lastEventId);
    } catch {
      refresh(session);
    }
  });
  source.addEventListener('heartbeat', (event) => {
    if (session !== app.session) return;
    alive();
    try {
      // The feed sent a version we never got: fetch it.
      if (big(JSON.parse(event.data).version) > app.version) refresh(session);
    } catch {
      // a heartbeat only needs to arrive
    }
  });
  source.onerror = () => {
    if (session !== app.session) return;
    if (source.readyState === EventSource.CLOSED) {
      // The browser gave up (an error status instead of a stream): open a new feed after a pause.
      app.source = null;
      clearTimeout(app.reopenTimer);
      app.reopenTimer = setTimeout(() => {
        if (session === app.session && app.state === 'member') openFeed();
      }, app.reopenDelay);
      app.reopenDelay = Math.min(app.reopenDelay * 2, 15000);
      // EventSource hides the status: the view tells whether the key was refused (then the screen says so).
      refresh(session);
    }
    // Otherwise the browser reconnects by itself; the watchdog shows the loss if it lasts.
  };
}

function closeFeed() {
  clearTimeout(app.reopenTimer);
  if (app.source) {
    app.source.close();
    app.source = null;
  }
  setLive('off');
}

async function refresh(session) {
  const answer = await fetchView(app.member);
  if (session !== app.session) return;
  if (answer.status === 200) applyView(answer.view);
  else if (answer.status === 404) showMessage('unknown');
  else keyRefused(answer);
  // 503 or no network: keep the last view; the watchdog tells when the feed is gone too.
}

function alive() {
  app.lastEventAt = Date.now();
  setLive('live');
}

function setLive(state) {
  app.live = state;
  body.dataset.live = state;
  body.classList.toggle('stale', state === 'lost' && app.state === 'member');
  $('live-text').textContent = state === 'lost' ? t('lostShort') : state === 'connecting' ? t('connecting') : t('live');
  $('lost-banner').textContent = t('lost');
}

// ---------- the member's view ----------

function applyView(view, eventId) {
  const version = big(eventId || view.version);
  if (version < app.version) return; // an older view than the one shown
  const changed = app.version >= 0n && version > app.version;
  app.view = view;
  app.version = version;
  if (changed) touch();
  if (app.state !== 'member') setState('member');
  renderMember();
}

function renderMember() {
  const view = app.view;
  if (!view) return;
  const tier = tierName(view.tier?.tier) || 'REGULAR';
  const stage = stageName(view.lifecycle);

  $('greeting').textContent = t(`greet_${stage}`);
  // A long number's mask is shortened: passers-by learn no more from fewer stars.
  $('masked').textContent = t('memberNo', { id: (view.maskedMemberId ?? '').replace(/\*{5,}/g, '****') });
  $('tier-member').textContent = t('tierMember', { tier: t(`tier_${tier}`) });

  renderBalance(big(view.balance));
  $('available').textContent = t('available', { n: fmt.points(view.available) });
  const expiring = big(view.expiringSoon?.points);
  const expiresAt = view.expiringSoon?.firstExpiresAt;
  $('expiring').hidden = expiring <= 0n;
  $('expiring').textContent = expiring > 0n ? t('expiring', { n: fmt.points(expiring), date: expiresAt ? fmt.date(expiresAt) : '' }) : '';

  renderTier(view.tier ?? {}, tier);
  renderOffers(view);
  renderExtras(view);
}

function renderBalance(balance) {
  const node = $('balance');
  const before = app.shownBalance;
  app.shownBalance = balance;
  node.dataset.value = balance.toString();
  if (before === null || before === balance || reducedMotion()) {
    node.textContent = fmt.points(balance);
    return;
  }

  // Roll the counter from the old balance to the new one, and say what changed.
  const delta = balance - before;
  const badge = $('delta');
  badge.textContent = delta > 0n ? t('pointsAdded', { n: fmt.points(delta) }) : t('pointsTaken', { n: fmt.points(delta) });
  badge.classList.remove('show');
  void badge.offsetWidth;
  badge.classList.add('show');
  const card = $('points-card');
  card.classList.remove('bump');
  void card.offsetWidth;
  card.classList.add('bump');

  const from = Number(before);
  const to = Number(balance);
  const started = performance.now();
  const duration = 1400;
  const step = (now) => {
    if (app.shownBalance !== balance) return; // a newer balance took over
    const progress = Math.min(1, (now - started) / duration);
    const eased = 1 - (1 - progress) ** 3;
    node.textContent = progress < 1 ? fmt.points(Math.round(from + (to - from) * eased)) : fmt.points(balance);
    if (progress < 1) requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}

function reducedMotion() {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

function renderTier(status, tier) {
  const card = $('tier-card');
  const next = tierName(status.nextTier);
  card.className = `tier-card tier-${tier.toLowerCase()}${next ? '' : ' top'}`;
  $('tier-badge').textContent = t(`tier_${tier}`);

  const ladder = $('ladder');
  ladder.textContent = '';
  const rank = TIERS.indexOf(tier);
  TIERS.slice(1).forEach((name, index) => {
    const step = el('li', index + 1 < rank ? 'reached' : index + 1 === rank ? 'current' : '', t(`tier_${name}`));
    ladder.append(step);
  });

  const qualifying = num(status.qualifyingSpendFen);
  const toNext = num(status.spendToNextTierFen);
  const share = next && toNext > 0 ? qualifying / (qualifying + toNext) : 1;
  const percent = Math.max(next ? 2 : 100, Math.min(100, Math.round(share * 100)));
  $('progress-fill').style.width = `${percent}%`;
  $('progress').setAttribute('aria-valuenow', String(percent));

  const line = $('tier-next');
  line.textContent = '';
  if (next && toNext > 0) {
    // "再消费 ¥230.00 升级金卡" with the amount emphasised.
    const [before, after] = t('toNext', { amount: '\u0000', tier: t(`tier_${next}`) }).split('\u0000');
    line.append(before, el('b', '', fmt.money(toNext)), after);
  } else {
    line.textContent = t('topTier');
  }
  $('tier-spend').textContent = t('qualifying', { amount: fmt.money(qualifying) });

  const list = $('benefits');
  list.textContent = '';
  const discount = num(status.discountPercent);
  if (discount > 0) {
    const zhe = fmt.decimal((100 - discount) / 10);
    list.append(el('li', 'main', t('discount', { zhe, p: fmt.decimal(discount) })));
  }
  const multiplier = num(status.earnMultiplier);
  if (multiplier > 1) list.append(el('li', 'main', t('earn', { m: fmt.decimal(multiplier) })));
  for (const perk of status.perks ?? []) list.append(el('li', '', perkText(perk)));
}

function perkText(perk) {
  const known = PERKS[config.lang][perk];
  if (known) return known;
  const words = String(perk).replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function renderOffers(view) {
  const personalised = view.personalised !== false;
  const offers = view.offers ?? [];
  $('offers-heading').textContent = personalised ? t('offersHeading') : t('offersPublic');
  $('offers-count').textContent = offers.length ? t('offersCount', { n: offers.length }) : '';
  $('consent-note').hidden = personalised;
  $('consent-note').textContent = personalised ? '' : t('notPersonalised');

  const grid = $('offers');
  grid.textContent = '';
  const shown = offers.slice(0, MAX_OFFERS);
  grid.dataset.n = String(shown.length);
  grid.classList.toggle('dense', shown.length >= 7);
  if (!shown.length) {
    const empty = el('div', 'offers-empty');
    empty.innerHTML =
      '<svg viewBox="0 0 48 48" aria-hidden="true"><path d="M6 18h36v8a4 4 0 0 0 0 8v6H6v-6a4 4 0 0 0 0-8z" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linejoin="round"/><path d="M18 18v22" stroke="currentColor" stroke-width="2.5" stroke-dasharray="3 3"/><path d="M14 18l6-10 8 4 6-4" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/></svg>';
    empty.append(el('strong', '', t('offersNone')), el('span', '', t('offersNoneBody')));
    grid.append(empty);
  }
  // "Now" is when the server computed the view: availableFrom is relative to it.
  const asOf = instant(view.asOf) ?? new Date();
  shown.forEach((offer, index) => grid.append(offerCard(offer, index, asOf)));

  const more = offers.length - shown.length;
  const existing = grid.nextElementSibling?.classList.contains('offers-more') ? grid.nextElementSibling : null;
  existing?.remove();
  if (more > 0) grid.after(el('p', 'offers-more', t('moreOffers', { n: more })));
}

function offerCard(offer, index, asOf) {
  const from = instant(offer.availableFrom);
  const later = from !== null && from > asOf;
  const card = el('article', later ? 'offer later' : 'offer');
  card.dataset.reason = offer.reasonCode ?? '';
  card.dataset.testid = 'offer';
  card.style.animationDelay = `${index * 60}ms`;

  const top = el('div', 'offer-top');
  if (offer.kind && TEXTS[config.lang][`kind_${offer.kind}`]) top.append(el('span', 'chip', t(`kind_${offer.kind}`)));
  if (later) top.append(el('span', 'chip soon', t('notYet')));
  if (offer.couponId) {
    const wallet = el('span', 'chip wallet', t('coupon'));
    wallet.dataset.testid = 'coupon';
    top.append(wallet);
  }
  card.append(top);

  if (num(offer.valueFen) > 0) {
    // Money off is its own value; for the other kinds the value is an estimate, said as such.
    const value = el('div', 'offer-value');
    if (offer.kind !== 'AMOUNT_OFF' && offer.kind !== 'COUPON') value.append(el('small', '', t('worth')));
    value.append(fmt.money(offer.valueFen));
    card.append(value);
  }
  card.append(el('h3', 'offer-title', localized(offer.title)));
  const reason = localized(offer.reason);
  if (reason) card.append(el('p', 'offer-reason', reason));
  const until = instant(offer.validUntil);
  const when = later ? el('p', 'offer-until offer-from', startText(from, until, asOf)) : el('p', 'offer-until', untilText(until, asOf));
  when.dataset.testid = later ? 'offer-from' : 'offer-until';
  card.append(when);
  return card;
}

/** "Valid until Dec 31", "Today only", or "No end date". */
function untilText(until, asOf) {
  if (!until) return t('openEnded');
  const last = lastDay(until);
  return sameDay(last, asOf) ? t('todayOnly') : t('validUntil', { date: fmt.shortDate(last.toISOString()) });
}

/**
 * When an offer that is not usable yet starts: "From 18:00" later today, "From tomorrow",
 * "From 18:00 tomorrow", "From Dec 5"; with the time it ends when that is the same day.
 */
function startText(from, until, asOf) {
  const tomorrow = new Date(asOf.getFullYear(), asOf.getMonth(), asOf.getDate() + 1);
  const day = sameDay(from, asOf) ? '' : sameDay(from, tomorrow) ? t('tomorrow') : fmt.shortDate(from.toISOString());
  const endsThatDay = until !== null && !atMidnight(until) && sameDay(until, from);
  if (endsThatDay) return tidy(t('startsSlot', { day, from: fmt.time(from), to: fmt.time(until) }));
  return tidy(atMidnight(from) && day ? t('startsDay', { day }) : t('startsAt', { day, time: fmt.time(from) }));
}

/** Drops the gaps an empty value leaves ("From 18:00 " → "From 18:00"). */
function tidy(text) {
  return text.replace(/\s{2,}/g, ' ').trim();
}

function renderExtras(view) {
  // Without consent the server sends no reminders or tags; none are shown whatever arrives.
  const personalised = view.personalised !== false;
  const reminders = personalised ? (view.reminders ?? []).slice(0, MAX_REMINDERS) : [];
  const tags = personalised ? (view.affinityTags ?? []).map(localized).filter(Boolean).slice(0, MAX_TAGS) : [];

  $('reminders-block').hidden = reminders.length === 0;
  const list = $('reminders');
  list.textContent = '';
  for (const reminder of reminders) list.append(reminderCard(reminder));

  $('tags-block').hidden = tags.length === 0;
  const tagList = $('tags');
  tagList.textContent = '';
  for (const tag of tags) tagList.append(el('li', '', tag));
}

function reminderCard(reminder) {
  const card = el('div', 'reminder');
  card.dataset.testid = 'reminder';
  const due = num(reminder.dueInDays);
  const top = el('div', 'reminder-top');
  // The program names the category in both languages; an older view has only the category.
  top.append(el('strong', '', localized(reminder.name) || (reminder.category ?? '')));
  const badge = due < 0
    ? el('span', 'due over', t('overdue', { days: fmt.days(-due) }))
    : due === 0
      ? el('span', 'due over', t('dueToday'))
      : el('span', due <= 3 ? 'due soon' : 'due', t('dueIn', { days: fmt.days(due) }));
  top.append(badge);
  card.append(top);
  const since = num(reminder.daysSinceLast);
  card.append(el('p', '', t('reminder', {
    every: fmt.days(num(reminder.usualIntervalDays)),
    since: since > 0 ? t('ago', { days: fmt.days(since) }) : t('today'),
  })));
  return card;
}

// ---------- activity, idle and the watchdog ----------

function touch() {
  app.lastActivityAt = Date.now();
}

function renderFooter() {
  $('footer-hint').textContent = app.state === 'member' ? t('scanAnother') : '';
}

setInterval(() => {
  const now = Date.now();
  if (app.state === 'member') {
    const left = app.lastActivityAt + config.idleMs - now;
    if (left <= 0) {
      resetToAttract();
    } else {
      $('idle-fill').style.transform = `scaleX(${Math.max(0, left / config.idleMs)})`;
      if (app.live !== 'lost' && now - app.lastEventAt > config.staleMs) setLive('lost');
    }
  } else {
    $('idle-fill').style.transform = 'scaleX(0)';
  }
}, 250);

// ---------- language, clock, start ----------

function applyLanguage(lang) {
  config.lang = lang;
  document.documentElement.lang = lang;
  document.title = `MemberGrains · ${t('brandSub')}`;
  for (const node of document.querySelectorAll('[data-t]')) node.textContent = t(node.dataset.t);
  for (const button of document.querySelectorAll('.lang button')) button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
  input.placeholder = t('scanPlaceholder');
  $('store').hidden = !config.store;
  $('store').textContent = config.store ? t('store', { id: config.store }) : '';
  setLive(app.live);
  renderFooter();
  tick();
  if (app.state === 'member') {
    // Redraw in the new language without rolling the counter again.
    app.shownBalance = null;
    renderMember();
  } else if (app.state !== 'attract') {
    renderMessage();
  }
}

for (const button of document.querySelectorAll('.lang button')) {
  button.addEventListener('click', () => {
    const lang = button.dataset.lang;
    const url = new URL(location.href);
    url.searchParams.set('lang', lang);
    history.replaceState(null, '', url);
    applyLanguage(lang);
  });
}

function tick() {
  $('clock').textContent = fmt.time(new Date());
}
setInterval(tick, 10_000);

applyLanguage(config.lang);
focusInput();
