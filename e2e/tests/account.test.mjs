// Issue #11's browser test: on an event's page a member presses "톡캘린더에 추가", agrees to
// talk_calendar on the sandbox's consent screen, comes back to the same event page with the
// event in their own Talk Calendar; an edit in Gachi updates it there. The account page shows
// the live consents and the copy, and withdrawing talk_calendar there is reflected at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../lib/browser.mjs';
import { startServe } from '../lib/gachi.mjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MINJI = 4000000001;

async function loginAs(page, base, nickname, next = '/') {
  await page.goto(`${base}/auth/kakao/login?next=${encodeURIComponent(next)}`);
  await page.click(`button:has-text("${nickname}")`);
  await page.waitForURL(`${base}${next}`);
}

async function talkCalendar(base, userId) {
  return (await (await fetch(`${base}/_kakao/_admin/calendar/${userId}`)).json()).events;
}

/** Polls the sandbox (bounded) until `ok(events)`; pushes after edits run in the background. */
async function calendarUntil(base, userId, ok) {
  for (let i = 0; i < 200; i++) {
    const events = await talkCalendar(base, userId);
    if (ok(events)) return events;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`Talk Calendar never got there: ${JSON.stringify(await talkCalendar(base, userId))}`);
}

test('a member adds an event to the Talk Calendar after consent, and edits follow it there', async () => {
  const db = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-e2e-')), 'gachi.db')}`;
  const gachi = await startServe([], { GACHI_DATABASE_URL: db });
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'ko-KR', timezoneId: 'Asia/Seoul' })).newPage();
    await loginAs(page, gachi.base, '김민지');
    await page.fill('#name', '송년회 준비');
    await page.click('[data-create-room] button[type=submit]');
    await page.waitForSelector('[data-room-name]');
    const roomId = new URL(page.url()).pathname.split('/')[2];

    await page.goto(`${gachi.base}/rooms/${roomId}/events/new?date=2026-12-24`);
    await page.fill('#title', '송년회');
    await page.fill('#start_time', '19:00');
    await page.fill('#end_time', '21:00');
    await page.fill('#location', '홍대');
    await page.click('[data-save-event]');
    await page.waitForSelector('[data-calendar]');
    await page.click('[data-event-chip]');
    await page.waitForSelector('[data-add-talk-calendar]');
    const eventPath = new URL(page.url()).pathname;
    assert.equal((await talkCalendar(gachi.base, MINJI)).length, 0);

    // Just-in-time consent for talk_calendar, and only that, then back to the same event.
    await page.click('[data-add-talk-calendar]');
    await page.waitForURL(/\/_kakao\/oauth\/authorize/);
    assert.equal(new URL(page.url()).searchParams.get('scope'), 'openid,talk_calendar');
    await page.click('button[value=agree]');
    await page.waitForURL(`${gachi.base}${eventPath}?tc=added`);
    assert.match(await page.textContent('[data-talk-calendar-status="added"]'), /톡캘린더에 추가했어요/);

    let copies = await talkCalendar(gachi.base, MINJI);
    assert.equal(copies.length, 1);
    assert.equal(copies[0].title, '송년회');
    assert.equal(copies[0].time.start_at, '2026-12-24T10:00:00Z', '19:00 KST in UTC');
    assert.equal(copies[0].location.name, '홍대');

    // An edit in Gachi updates the copy in the Talk Calendar.
    await page.fill('#title', '송년회 (장소 변경)');
    await page.fill('#location', '합정');
    await page.fill('#start_time', '19:30');
    await page.click('[data-save-event]');
    await page.waitForSelector('[data-event-sequence="1"]');
    copies = await calendarUntil(gachi.base, MINJI, (e) => e.length === 1 && e[0].title === '송년회 (장소 변경)');
    assert.equal(copies[0].location.name, '합정');
    assert.equal(copies[0].time.start_at, '2026-12-24T10:30:00Z');

    // The account page: live consents with talk_calendar agreed, and the copy listed.
    await page.click('[data-nav-account]');
    await page.waitForSelector('[data-account]');
    assert.equal(await page.getAttribute('[data-consent="talk_calendar"]', 'data-agreed'), 'true');
    assert.match(await page.textContent('[data-talk-calendar-copies]'), /송년회 \(장소 변경\)/);
    // Withdrawing asks first (the shell's dialog), then says it did.
    await page.click('[data-revoke="talk_calendar"]');
    await page.waitForSelector('#confirm-dialog[open]');
    await Promise.all([page.waitForNavigation(), page.click('#confirm-dialog [data-confirm-ok]')]);
    await page.waitForFunction(() => document.querySelector('[role=status]')?.textContent.trim() === '동의를 철회했어요');
    assert.equal(await page.getAttribute('[data-consent="talk_calendar"]', 'data-agreed'), 'false');

    // Deleting the account needs a confirmation: dismissed, nothing happens.
    await page.click('[data-delete-button]');
    await page.waitForSelector('#confirm-dialog[open]');
    await page.click('#confirm-dialog [data-confirm-cancel]');
    await page.waitForSelector('#confirm-dialog:not([open])', { state: 'attached' });
    assert.ok(await page.isVisible('[data-account]'), 'still here, still logged in');
  } finally {
    await browser.close();
    gachi.stop();
  }
});
