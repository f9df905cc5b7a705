// Screenshot gallery of every page (never run in CI): home (logged out and in), the room's month,
// week, list and day views, the event form and page, the invite screen, the join page (logged out
// and in), polls (list, new, one poll), the share page, the account page, a confirmation page and
// a 404 — at 360×740 (touch, ko-KR), light and dark, written to $OUT (default docs/screens/).
// Run after `cargo build -p gachi`:
//   node e2e/gallery.mjs            # or OUT=/tmp/gallery WIDTH=390 HEIGHT=844 node e2e/gallery.mjs
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './lib/browser.mjs';
import { startServe } from './lib/gachi.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.env.OUT || join(here, '..', 'docs', 'screens');
const width = Number(process.env.WIDTH || 360);
const height = Number(process.env.HEIGHT || 740);
mkdirSync(out, { recursive: true });
const db = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-gallery-')), 'gachi.db')}`;
const gachi = await startServe([], { GACHI_DATABASE_URL: db });
const browser = await launchBrowser();

async function context(scheme) {
  return browser.newContext({
    locale: 'ko-KR', timezoneId: 'Asia/Seoul', viewport: { width, height },
    hasTouch: true, isMobile: true, deviceScaleFactor: 1, colorScheme: scheme,
  });
}

async function login(page, name) {
  await page.goto(`${gachi.base}/auth/kakao/login?next=${encodeURIComponent('/')}`);
  await page.click(`button:has-text("${name}")`);
  await page.waitForURL(`${gachi.base}/`);
}

async function api(page, method, path, body) {
  const resp = await page.request.fetch(`${gachi.base}/api/v1${path}`, {
    method, data: body, headers: { origin: gachi.base },
  });
  if (!resp.ok()) throw new Error(`${method} ${path}: ${resp.status()} ${await resp.text()}`);
  return resp.status() === 204 ? null : resp.json();
}

let seeded;
async function seed(page, friendPage) {
  const room = await api(page, 'POST', '/rooms', { name: '대학 동기 연말 모임', description: '12월 모임 일정' });
  const ev = (title, starts, ends, extra = {}) =>
    api(page, 'POST', `/rooms/${room.id}/events`, { title, starts_at: starts, ends_at: ends, ...extra });
  const dinner = await ev('송년회 1차', '2026-12-19T19:00:00+09:00', '2026-12-19T21:30:00+09:00', { location: '홍대입구역 3번 출구' });
  await ev('점심 번개', '2026-12-10T12:00:00+09:00', '2026-12-10T13:00:00+09:00');
  await ev('스터디', '2026-12-03T19:30:00+09:00', '2026-12-03T21:00:00+09:00', { rrule: 'FREQ=WEEKLY;BYDAY=TH' });
  await api(page, 'POST', `/rooms/${room.id}/events`, { title: '제주도 여행', all_day: true, start_date: '2026-12-26', end_date: '2026-12-28' });
  const invite = await api(page, 'POST', `/rooms/${room.id}/invites`, {});
  await api(friendPage, 'POST', `/invites/${invite.code}/accept`, {});
  const poll = await api(page, 'POST', `/rooms/${room.id}/polls`, { title: '2차 날짜 정하기', kind: 'grid', dates: ['2027-01-08', '2027-01-09', '2027-01-10'] });
  return { room: room.id, event: dinner.id, invite: invite.code, poll: poll.id };
}

try {
  for (const scheme of ['light', 'dark']) {
    const shot = async (page, name) => page.screenshot({ path: join(out, `${name}-${scheme}.png`), fullPage: true });
    const guest = await (await context(scheme)).newPage();
    await guest.goto(`${gachi.base}/`);
    await shot(guest, 'home');

    const ctx = await context(scheme);
    const page = await ctx.newPage();
    await login(page, '김민지');
    const friend = await (await context(scheme)).newPage();
    await login(friend, '이서준');
    if (!seeded) seeded = await seed(page, friend);
    const { room, event, invite, poll } = seeded;

    await page.goto(`${gachi.base}/`);
    await shot(page, 'rooms');
    for (const view of ['month', 'week', 'list']) {
      await page.goto(`${gachi.base}/rooms/${room}?view=${view}&date=2026-12-17`);
      await shot(page, `room-${view}`);
    }
    await page.goto(`${gachi.base}/rooms/${room}?view=day&date=2026-12-19`);
    await shot(page, 'room-day');
    await page.goto(`${gachi.base}/rooms/${room}/events/new?date=2026-12-24`);
    await shot(page, 'event-form');
    await page.goto(`${gachi.base}/rooms/${room}/events/${event}`);
    await shot(page, 'event');
    await page.goto(`${gachi.base}/rooms/${room}/invite`);
    if ((await page.title()).includes('404')) await page.goto(`${gachi.base}/rooms/${room}#invite`);
    await shot(page, 'invite');
    await guest.goto(`${gachi.base}/i/${invite}`);
    await shot(guest, 'join-logged-out');
    const newcomer = await (await context(scheme)).newPage();
    await login(newcomer, '박지우');
    await newcomer.goto(`${gachi.base}/i/${invite}`);
    await shot(newcomer, 'join');
    await page.goto(`${gachi.base}/rooms/${room}/polls`);
    await shot(page, 'polls');
    await page.goto(`${gachi.base}/rooms/${room}/polls/new`);
    await shot(page, 'poll-new');
    await page.goto(`${gachi.base}/rooms/${room}/polls/${poll}`);
    await shot(page, 'poll');
    await page.goto(`${gachi.base}/rooms/${room}/share`);
    await shot(page, 'share');
    await page.goto(`${gachi.base}/account`);
    await shot(page, 'account');
    // 공유방 삭제 asks first: its dialog.
    await page.goto(`${gachi.base}/rooms/${room}`);
    await page.tap(`form[action="/rooms/${room}/delete"] button[type=submit]`);
    await page.waitForSelector('dialog[open]');
    await page.screenshot({ path: join(out, `confirm-${scheme}.png`) });
    await page.keyboard.press('Escape');
    await page.goto(`${gachi.base}/no-such-page`);
    await shot(page, 'not-found');
    await ctx.close();
  }
} finally {
  await browser.close();
  gachi.stop();
}
console.log(`screenshots in ${out}`);
