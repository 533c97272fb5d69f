// The page: log in with a key, pick a period, read the statistics, refresh
// every five minutes on a wall screen. ?from=YYYY-MM-DD&to=YYYY-MM-DD in
// the address sets the period (a bookmark for a wall screen).

import { savedKey, saveKey, forgetKey, ApiError } from './api.js';
import { load, probeObjections } from './stats.js';
import { download, resizeAll } from './panels.js';
import { lookup } from './lookup.js';

const REFRESH_MS = 5 * 60 * 1000;
const $ = (id) => document.getElementById(id);
let timer = null;

// today in Asia/Shanghai, the city's day, whatever the screen's zone.
function cityToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

function initialPeriod() {
  const q = new URLSearchParams(location.search);
  const to = q.get('to') || cityToday();
  let from = q.get('from');
  if (!from) {
    const d = new Date(to + 'T00:00:00Z');
    d.setUTCFullYear(d.getUTCFullYear() - 1);
    d.setUTCDate(d.getUTCDate() + 1);
    from = d.toISOString().slice(0, 10);
  }
  $('from').value = from;
  $('to').value = to;
}

function period() {
  return { from: $('from').value, to: $('to').value };
}

function setState(state) {
  document.body.dataset.state = state;
}

function banner(message) {
  $('banner').textContent = message || '';
  $('banner').hidden = !message;
}

// refresh reads the statistics; a key the hub refuses sends the user back
// to the login form with the reason.
async function refresh() {
  setState(document.body.dataset.state === 'login' ? 'loading' : document.body.dataset.state);
  try {
    const { readable, inputError } = await load(period());
    banner(inputError || (readable === 0 ? '此密钥的角色无权查看统计数据；如可进行核查，请使用下方的主体核查。' : ''));
    $('updated').textContent = '更新于 ' + new Date().toLocaleTimeString('zh-CN', { hour12: false });
    setState('ready');
  } catch (e) {
    if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') {
      logout(e.message);
      return;
    }
    banner(e.message);
    setState('ready');
  }
}

function start() {
  $('login-error').textContent = '';
  probeObjections();
  refresh().then(() => {
    if (document.body.dataset.state === 'ready') {
      clearInterval(timer);
      timer = setInterval(refresh, REFRESH_MS);
    }
  });
}

function logout(reason) {
  clearInterval(timer);
  forgetKey();
  $('lookup-result').replaceChildren();
  $('login-error').textContent = reason || '';
  setState('login');
  $('key').value = '';
  $('key').focus();
}

document.addEventListener('DOMContentLoaded', () => {
  initialPeriod();
  $('login').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const key = $('key').value.trim();
    if (!key) return;
    saveKey(key);
    start();
  });
  $('logout').addEventListener('click', () => logout(''));
  $('period').addEventListener('submit', (ev) => {
    ev.preventDefault();
    refresh();
  });
  $('fullscreen').addEventListener('click', () => {
    if (!document.fullscreenElement) document.documentElement.requestFullscreen().catch(() => {});
    else document.exitFullscreen();
  });
  for (const b of document.querySelectorAll('.panel .csv')) {
    b.addEventListener('click', () => download(b.closest('.panel'), period()));
  }
  $('lookup').addEventListener('submit', (ev) => {
    ev.preventDefault();
    lookup($('lookup'), $('lookup-result'));
  });
  window.addEventListener('resize', resizeAll);
  if (savedKey()) start();
  else setState('login');
});
