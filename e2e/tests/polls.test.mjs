// Issue #10's browser test: three sandbox users find a time together. The owner paints the
// grid with the mouse, a friend with the keyboard (arrows + space) and a click, a third on a
// touch-emulated phone (taps and a touch drag); every page's heat-map shows the overlap without
// a reload (each page polls the JSON); the owner confirms the best range under a title of her
// own and the event appears for everyone, whose poll pages pick the confirmation up by
// themselves. Issue #18: the days are ticked on a calendar, and the phone paints in paint mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../lib/browser.mjs';
import { startServe } from '../lib/gachi.mjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function loginAs(page, base, nickname, next = '/') {
  await page.goto(`${base}/auth/kakao/login?next=${encodeURIComponent(next)}`);
  await page.click(`button:has-text("${nickname}")`);
  await page.waitForURL(`${base}${next}`);
}

async function joinRoom(page, base, nickname, link) {
  await loginAs(page, base, nickname, new URL(link).pathname);
  await page.click('[data-accept-invite]');
  await page.waitForSelector('[data-room-name]');
}

const cell = (key) => `[data-my-grid] [data-slot="${key}"]`;
const saved = (page) => page.waitForResponse((r) => r.url().endsWith('/answers') && r.request().method() === 'PUT' && r.ok());

async function center(page, key) {
  const loc = page.locator(cell(key));
  await loc.scrollIntoViewIfNeeded();
  const box = await loc.boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Marks the page so a reload (which would forget the mark) is caught. */
const mark = (page) => page.evaluate(() => { window.__sameDocument = true; });
const unreloaded = (page) => page.evaluate(() => window.__sameDocument === true);

test('three members paint a grid, see the overlap live, and the owner confirms', async () => {
  const db = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-e2e-')), 'gachi.db')}`;
  const gachi = await startServe([], { GACHI_DATABASE_URL: db });
  const browser = await launchBrowser();
  try {
    // The shared clock at the start of December, so the new-poll calendar shows December.
    const clock = await fetch(`${gachi.base}/_kakao/_admin/clock`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ set: '2026-12-01T00:00:00+09:00' }),
    });
    assert.ok(clock.ok, await clock.text());
    const owner = await (await browser.newContext({ locale: 'ko-KR', timezoneId: 'Asia/Seoul' })).newPage();
    await loginAs(owner, gachi.base, '김민지');
    await owner.fill('#name', '송년회 준비');
    await owner.click('[data-create-room] button[type=submit]');
    await owner.waitForSelector('[data-room-name]');
    const roomId = new URL(owner.url()).pathname.split('/')[2];
    await owner.click('[data-new-invite]');
    const link = (await owner.textContent('[data-invite-link]')).trim();

    const friend = await (await browser.newContext({ locale: 'en-US', timezoneId: 'America/Los_Angeles' })).newPage();
    await joinRoom(friend, gachi.base, '이서준', link);
    const phoneContext = await browser.newContext({
      hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 }, locale: 'ko-KR',
    });
    const phone = await phoneContext.newPage();
    await joinRoom(phone, gachi.base, '박지우', link);

    // The owner opens "일정 맞추기" from the room and makes a grid: 12-24..12-26, 18:00–21:00.
    await owner.goto(`${gachi.base}/rooms/${roomId}`);
    await owner.click('[data-new-poll]');
    await owner.fill('#title', '송년회');
    await owner.check('[data-kind-grid]');
    for (const day of ['2026-12-24', '2026-12-25', '2026-12-26']) await owner.check(`[data-pick="${day}"]`);
    await owner.fill('#start_time', '18:00');
    await owner.fill('#end_time', '21:00');
    await owner.fill('#location', '홍대');
    await owner.click('[data-create-poll]');
    await owner.waitForSelector('[data-my-grid]');
    const pollUrl = owner.url();
    assert.match(pollUrl, new RegExp(`/rooms/${roomId}/polls/[0-9a-f-]+$`));
    assert.equal(await owner.locator('[data-my-grid] [data-slot]').count(), 18);

    // The friend asks to be told on KakaoTalk: Kakao's consent screen for talk_message, then back.
    await friend.goto(pollUrl);
    await friend.click('[data-memo-toggle="off"]');
    await friend.waitForSelector('li[data-scope="talk_message"]');
    await friend.click('button[value=agree]');
    await friend.waitForSelector('[data-memo-toggle="on"]');
    assert.equal(friend.url(), pollUrl);

    await friend.goto(pollUrl);
    await phone.goto(pollUrl);
    for (const page of [owner, friend, phone]) {
      await page.waitForSelector('[data-heat-grid]');
      await mark(page);
    }

    // Owner: a mouse drag down 12-24 from 19:00 to 20:30.
    let done = saved(owner);
    const from = await center(owner, '2026-12-24T19:00');
    const to = await center(owner, '2026-12-24T20:30');
    await owner.mouse.move(from.x, from.y);
    await owner.mouse.down();
    await owner.mouse.move(to.x, to.y, { steps: 8 });
    await owner.mouse.up();
    await done;
    for (const key of ['2026-12-24T19:00', '2026-12-24T19:30', '2026-12-24T20:00', '2026-12-24T20:30']) {
      assert.equal(await owner.getAttribute(cell(key), 'aria-selected'), 'true', key);
    }
    assert.equal(await owner.getAttribute(cell('2026-12-24T18:30'), 'aria-selected'), 'false');

    // Friend: the keyboard (the first cell is 12-24 18:00; down twice is 19:00), then a click.
    await friend.focus(cell('2026-12-24T18:00'));
    await friend.keyboard.press('ArrowDown');
    await friend.keyboard.press('ArrowDown');
    done = saved(friend);
    await friend.keyboard.press('Space');
    await done;
    await friend.keyboard.press('ArrowDown');
    done = saved(friend);
    await friend.keyboard.press('Space');
    await done;
    assert.equal(await friend.getAttribute(cell('2026-12-24T19:30'), 'aria-selected'), 'true');
    done = saved(friend);
    await friend.click(cell('2026-12-26T18:00'));
    await done;

    // Phone: a tap on 12-24 19:30, then (paint mode on) a touch drag down 12-26 from 18:00 to 19:00.
    done = saved(phone);
    const tap = await center(phone, '2026-12-24T19:30');
    await phone.touchscreen.tap(tap.x, tap.y);
    await done;
    const a = await center(phone, '2026-12-26T18:00');
    const b = await center(phone, '2026-12-26T19:00');
    const cdp = await phoneContext.newCDPSession(phone);
    await phone.click('[data-paint-toggle]');
    done = saved(phone);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: a.x, y: a.y }] });
    for (let i = 1; i <= 4; i++) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: a.x, y: a.y + ((b.y - a.y) * i) / 4 }] });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await done;
    for (const key of ['2026-12-24T19:30', '2026-12-26T18:00', '2026-12-26T18:30', '2026-12-26T19:00']) {
      assert.equal(await phone.getAttribute(cell(key), 'aria-selected'), 'true', key);
    }

    // Every page shows the overlap by itself: 12-24 19:30 suits all three, and it ranks first.
    for (const page of [owner, friend, phone]) {
      await page.waitForSelector('[data-heat="2026-12-24T19:30"][data-count="3"]');
      await page.waitForSelector('[data-heat="2026-12-26T18:00"][data-count="2"]');
      await page.waitForSelector('[data-respondents="3"]');
      assert.equal(await page.getAttribute('[data-heat="2026-12-24T19:00"]', 'data-count'), '2');
      assert.equal(await page.getAttribute('[data-heat="2026-12-24T20:30"]', 'data-count'), '1');
      assert.ok(await unreloaded(page), 'the heat-map updated without a reload');
    }
    await owner.waitForSelector('[data-ranking] li:first-child[data-rank="2026-12-24T19:30"]');
    assert.equal(await friend.locator('[data-confirm]').count(), 0, 'only the owner confirms');

    // 12-24 19:30–20:00 is the best range: 3 of 3.
    assert.match(await owner.textContent('[data-ranking] li:first-child'), /19:30–20:00\s*3명 중 3명/);
    // The owner confirms it for two hours, as "송년회 1차" (the form offers the room's name).
    await owner.click('[data-confirm="2026-12-24T19:30"]');
    const form = '[data-rank="2026-12-24T19:30"] [data-confirm-form]';
    assert.equal(await owner.inputValue(`${form} input[name=title]`), '송년회 준비');
    await owner.selectOption(`${form} select[name=duration_minutes]`, '120');
    await owner.fill(`${form} input[name=title]`, '송년회 1차');
    await owner.click(`${form} [data-confirm-submit]`);
    await owner.waitForSelector('[data-poll-event]');
    // The others' pages notice the confirmation on their own.
    for (const page of [friend, phone]) await page.waitForSelector('[data-poll-event]');

    // The friend who opted in finds exactly one memo in their KakaoTalk (나와의 채팅); Jiwoo none.
    const memos = async (id) => (await (await fetch(`${gachi.base}/_kakao/_admin/inbox/${id}`)).json())
      .messages.filter((m) => m.chat === 'MemoChat');
    for (let i = 0; i < 200 && (await memos(4000000002)).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal((await memos(4000000002)).length, 1, 'one memo for the member who opted in');
    assert.match((await memos(4000000002))[0].template.content.title, /송년회/);
    assert.equal((await memos(4000000003)).length, 0, 'nothing for a member who did not');

    // The event is in the room for everyone.
    for (const page of [owner, friend, phone]) {
      await page.goto(`${gachi.base}/rooms/${roomId}?view=month&date=2026-12-01`);
      assert.match(await page.textContent('td[data-date="2026-12-24"]'), /송년회/);
    }
    const events = await phone.evaluate(async (id) => {
      const r = await fetch(`/api/v1/rooms/${id}/events?from=2026-12-01&to=2027-01-01`);
      return (await r.json()).events;
    }, roomId);
    assert.equal(events.length, 1);
    assert.equal(events[0].starts_at, '2026-12-24T19:30:00+09:00');
    assert.equal(events[0].ends_at, '2026-12-24T21:30:00+09:00');
    assert.equal(events[0].location, '홍대');
    assert.equal(events[0].title, '송년회 1차');
  } finally {
    await browser.close();
    gachi.stop();
  }
});
