// Issue #16's phone checks on the polls pages a member reaches from the room: the room's poll
// list (empty and with polls) and the new-poll form, at 360×740 and 390×844 (touch), Korean light
// and dark and English — no sideways scroll, no serious axe violation, thumb-sized targets, a
// tall primary action. Issue #18's poll page on a phone: a touch drag in paint mode fills
// exactly the rectangle it spans and saves it, a swipe that starts on the grid outside paint
// mode scrolls the page and paints nothing, cells are a thumb tall, the page never scrolls
// sideways; a day poll answers with big chips. One server and one browser for the file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../lib/browser.mjs';
import { startServe } from '../lib/gachi.mjs';
import { PHONES, horizontalOverflow, phoneContext, phoneProblems } from '../lib/phone.mjs';

let gachi;
let browser;

before(async () => {
  const db = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-e2e-')), 'gachi.db')}`;
  gachi = await startServe([], { GACHI_DATABASE_URL: db });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  gachi?.stop();
});

async function loggedIn(phone, options, nickname = '김민지') {
  const context = await phoneContext(browser, phone, options);
  const page = await context.newPage();
  await page.goto(`${gachi.base}/auth/kakao/login?next=${encodeURIComponent('/')}`);
  await page.click(`button:has-text("${nickname}")`);
  await page.waitForURL(`${gachi.base}/`);
  return { context, page };
}

async function api(page, path, body) {
  const resp = await page.request.post(`${gachi.base}/api/v1${path}`, { data: body, headers: { origin: gachi.base } });
  assert.ok(resp.ok(), `${path}: ${resp.status()} ${await resp.text()}`);
  return resp.json();
}

test('the poll list and the new-poll form pass the phone checks, empty and full, ko and en, light and dark', async () => {
  const variants = [
    ...PHONES.map((phone) => ({ phone, options: { colorScheme: 'light' } })),
    ...PHONES.map((phone) => ({ phone, options: { colorScheme: 'dark' } })),
    { phone: PHONES[1], options: { locale: 'en-US' } },
  ];
  for (const { phone, options } of variants) {
    const { context, page } = await loggedIn(phone, options);
    const label = `${phone.name} ${options.locale || 'ko-KR'} ${options.colorScheme || 'light'}`;
    if (options.locale === 'en-US') await page.goto(`${gachi.base}/lang/en?next=/`);
    const room = await api(page, '/rooms', { name: '대학 동기 연말 모임' });

    await page.goto(`${gachi.base}/rooms/${room.id}/polls`);
    assert.deepEqual(await phoneProblems(page), [], `empty poll list, ${label}`);

    await api(page, `/rooms/${room.id}/polls`, {
      title: '송년회 2차 날짜를 정해요 — 다들 되는 날을 골라 주세요, 길어도 화면 밖으로 나가면 안 돼요',
      kind: 'days', dates: ['2026-12-26', '2026-12-27', '2026-12-31'],
    });
    await api(page, `/rooms/${room.id}/polls`, { title: '1월 스터디 시간', kind: 'grid', dates: ['2027-01-08', '2027-01-09'] });
    await page.goto(`${gachi.base}/rooms/${room.id}/polls`);
    const titles = await page.locator('main').innerText();
    assert.match(titles, /1월 스터디 시간/, `the list shows the polls, ${label}`);
    assert.deepEqual(await phoneProblems(page), [], `poll list with polls, ${label}`);

    await page.goto(`${gachi.base}/rooms/${room.id}/polls/new`);
    assert.deepEqual(await phoneProblems(page), [], `new-poll form, ${label}`);
    await context.close();
  }
});

const SHOTS = process.env.SCREENSHOT_DIR;

/** The centre of a grid cell, scrolled into view first. */
async function centre(page, key) {
  const loc = page.locator(`[data-my-grid] [data-slot="${key}"]`);
  await loc.scrollIntoViewIfNeeded();
  const box = await loc.boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

const selected = (page) => page.$$eval('[data-my-grid] [aria-selected="true"]', (cells) => cells.map((c) => c.dataset.slot).sort());

test('on a phone a touch drag paints the rectangle it spans, and a swipe outside paint mode scrolls the page', async () => {
  const { context, page } = await loggedIn(PHONES[1]);
  try {
    const room = await api(page, '/rooms', { name: '연말 모임' });
    const poll = await api(page, `/rooms/${room.id}/polls`, {
      title: '송년회 시간', kind: 'grid', dates: ['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-24'], start_time: '18:00', end_time: '22:00',
    });
    await page.goto(`${gachi.base}/rooms/${room.id}/polls/${poll.id}`);
    await page.waitForSelector('[data-paint-toggle]:not([hidden])');

    // Cells are a thumb tall; the day headers are whole; the page never scrolls sideways (a
    // fourth day is reached by swiping the grid, inside its own box).
    const heights = await page.$$eval('[data-my-grid] [data-slot]', (cells) => cells.map((c) => c.getBoundingClientRect().height));
    assert.ok(Math.min(...heights) >= 44, `cells at least 44 px tall, got ${Math.min(...heights)}`);
    const clipped = await page.$$eval('[data-my-grid] thead th[data-date-label] span', (spans) => spans.filter((s) => s.scrollWidth > s.clientWidth + 1).map((s) => s.textContent));
    assert.deepEqual(clipped, [], 'no day header is clipped');
    assert.equal(await horizontalOverflow(page), 0);
    assert.deepEqual(await phoneProblems(page), []);

    // A vertical swipe that starts on a cell, outside paint mode, scrolls the page and paints
    // nothing.
    const cdp = await context.newCDPSession(page);
    const start = await centre(page, '2026-12-22T20:00');
    const before = await page.evaluate(() => window.scrollY);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: start.x, y: start.y }] });
    for (let i = 1; i <= 10; i++) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: start.x, y: start.y - i * 25 }] });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await page.waitForFunction((y) => window.scrollY > y + 100, before);
    assert.deepEqual(await selected(page), [], 'the swipe painted nothing');

    // Paint mode on: a drag from (day 1, 19:00) to (day 3, 20:30) fills exactly that
    // rectangle, 3 days × 4 half hours, and saves it.
    await page.click('[data-paint-toggle]');
    assert.equal(await page.getAttribute('[data-paint-toggle]', 'aria-pressed'), 'true');
    const a = await centre(page, '2026-12-21T19:00');
    const b = await centre(page, '2026-12-23T20:30');
    const saved = page.waitForResponse((r) => r.url().endsWith('/answers') && r.request().method() === 'PUT' && r.ok());
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: a.x, y: a.y }] });
    for (let i = 1; i <= 8; i++) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: a.x + ((b.x - a.x) * i) / 8, y: a.y + ((b.y - a.y) * i) / 8 }] });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await saved;
    const rectangle = [];
    for (const d of ['2026-12-21', '2026-12-22', '2026-12-23']) {
      for (const t of ['19:00', '19:30', '20:00', '20:30']) rectangle.push(`${d}T${t}`);
    }
    rectangle.sort();
    assert.deepEqual(await selected(page), rectangle, 'exactly the 12 cells of the rectangle');
    const stored = await page.evaluate(async (url) => (await (await fetch(url)).json()).mine, `/api/v1/rooms/${room.id}/polls/${poll.id}`);
    assert.deepEqual(Object.keys(stored).sort(), rectangle, 'and they are saved');

    // A drag that starts on a filled cell clears its rectangle; a tap toggles one cell.
    const c = await centre(page, '2026-12-22T19:30');
    const d = await centre(page, '2026-12-22T20:00');
    let again = page.waitForResponse((r) => r.url().endsWith('/answers') && r.request().method() === 'PUT' && r.ok());
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: c.x, y: c.y }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: d.x, y: d.y }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await again;
    assert.equal((await selected(page)).length, 10);
    await page.click('[data-paint-toggle]');
    again = page.waitForResponse((r) => r.url().endsWith('/answers') && r.request().method() === 'PUT' && r.ok());
    const t = await centre(page, '2026-12-24T18:00');
    await page.touchscreen.tap(t.x, t.y);
    await again;
    assert.ok((await selected(page)).includes('2026-12-24T18:00'), 'a tap fills one cell');

    // The results list ranges, and the heat-map has a legend.
    await page.waitForSelector('[data-ranking] li[data-rank="2026-12-21T19:00"]');
    assert.match(await page.textContent('[data-ranking] li[data-rank="2026-12-21T19:00"]'), /19:00–21:00/);
    assert.equal(await page.locator('[data-legend] i').count(), 6);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'poll-grid-390.png'), fullPage: true });
  } finally {
    await context.close();
  }
});

test('a day poll answers with big chips and passes the phone checks', async () => {
  const { context, page } = await loggedIn(PHONES[0]);
  try {
    const room = await api(page, '/rooms', { name: '송년회 2차' });
    const poll = await api(page, `/rooms/${room.id}/polls`, { title: '송년회 2차 날짜 정하기', dates: ['2026-12-26', '2026-12-27', '2026-12-31'] });
    await page.goto(`${gachi.base}/rooms/${room.id}/polls/${poll.id}`);
    const chip = page.locator('[data-day="2026-12-27"] label.chip.maybe');
    const box = await chip.boundingBox();
    assert.ok(box.height >= 44, `chips are a thumb tall, got ${box.height}`);
    const saved = page.waitForResponse((r) => r.url().endsWith('/answers') && r.request().method() === 'PUT' && r.ok());
    await chip.tap();
    await saved;
    assert.equal(await page.isChecked('[data-day="2026-12-27"] input[value=maybe]'), true);
    await page.waitForSelector('[data-heat="2026-12-27"][data-count="1"]');
    assert.deepEqual(await phoneProblems(page), []);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'poll-days-360.png'), fullPage: true });
  } finally {
    await context.close();
  }
});

test('the owner nudges the group chat with a card naming exactly who has not answered', async () => {
  const MINJI = 4000000001;
  const SEOJUN = 4000000002;
  const owner = await loggedIn(PHONES[1]);
  const seojun = await loggedIn(PHONES[1], {}, '이서준');
  const jiwoo = await loggedIn(PHONES[1], {}, '박지우');
  try {
    const room = await api(owner.page, '/rooms', { name: '등산 모임' });
    const invite = await api(owner.page, `/rooms/${room.id}/invites`, {});
    for (const member of [seojun, jiwoo]) await api(member.page, `/invites/${invite.code}/accept`, {});
    const poll = await api(owner.page, `/rooms/${room.id}/polls`, { title: '1월 산행 날짜', dates: ['2027-01-09', '2027-01-10'] });
    const put = async (page, answers) => {
      const resp = await page.request.put(`${gachi.base}/api/v1/rooms/${room.id}/polls/${poll.id}/answers`, { data: { answers }, headers: { origin: gachi.base } });
      assert.ok(resp.ok(), await resp.text());
    };
    await put(owner.page, { '2027-01-09': 'yes' });
    await put(seojun.page, { '2027-01-10': 'maybe' });

    await owner.page.goto(`${gachi.base}/rooms/${room.id}/polls/${poll.id}`);
    assert.equal(await owner.page.textContent('[data-waiting]'), '아직 안 한 사람: 박지우');
    const [popup] = await Promise.all([owner.context.waitForEvent('page'), owner.page.click('[data-kakao-nudge]')]);
    await popup.click(`[data-sharer="${MINJI}"]`);
    await popup.click(`[data-chat="${SEOJUN}"]`);
    await popup.waitForSelector('[data-share-done]');
    const inbox = await (await fetch(`${gachi.base}/_kakao/_admin/inbox/${SEOJUN}`)).json();
    const card = inbox.messages.at(-1);
    assert.equal(card.from, MINJI);
    assert.equal(card.template.object_type, 'text');
    assert.equal(card.template.text, '⏰ 아직 1명: 박지우\n1월 산행 날짜', 'exactly the member who has not answered');
    assert.equal(card.template.buttons[0].title, '가능한 날 고르기');
    assert.equal(card.template.link.web_url, `${gachi.base}/rooms/${room.id}/polls/${poll.id}`);

    // A member does not get the button; once everyone answered the owner's page drops it.
    await seojun.page.goto(`${gachi.base}/rooms/${room.id}/polls/${poll.id}`);
    assert.equal(await seojun.page.locator('[data-kakao-nudge]').count(), 0);
    await put(jiwoo.page, { '2027-01-09': 'no' });
    await owner.page.waitForSelector('[data-nudge-box]', { state: 'hidden' });
    assert.deepEqual(await phoneProblems(owner.page), []);
  } finally {
    for (const who of [owner, seojun, jiwoo]) await who.context.close();
  }
});
