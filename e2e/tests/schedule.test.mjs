// Issue #6's browser test: two members add a timed and an all-day event through the pages and
// both see them in the month, week and list views; Christmas stays on 12-25 for a viewer whose
// browser is in America/Los_Angeles (dates are civil dates, drawn by the server).
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

async function addEvent(page, base, roomId, fields) {
  await page.goto(`${base}/rooms/${roomId}/events/new?date=${fields.date}`);
  await page.fill('#title', fields.title);
  if (fields.allDay) await page.check('#all_day');
  if (fields.start) await page.fill('#start_time', fields.start);
  if (fields.end) await page.fill('#end_time', fields.end);
  if (fields.location) await page.fill('#location', fields.location);
  await page.click('[data-save-event]');
  await page.waitForSelector('[data-calendar]');
}

test('two members build a schedule and see it in every view', async () => {
  const db = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-e2e-')), 'gachi.db')}`;
  const gachi = await startServe([], { GACHI_DATABASE_URL: db });
  const browser = await launchBrowser();
  try {
    const owner = await (await browser.newContext({ locale: 'ko-KR', timezoneId: 'Asia/Seoul' })).newPage();
    await loginAs(owner, gachi.base, '김민지');
    await owner.fill('#name', '연말 모임');
    await owner.click('[data-create-room] button[type=submit]');
    await owner.waitForSelector('[data-room-name]');
    const roomId = new URL(owner.url()).pathname.split('/')[2];
    await owner.click('[data-new-invite]');
    const link = (await owner.textContent('[data-invite-link]')).trim();

    const friend = await (await browser.newContext({ locale: 'en-US', timezoneId: 'America/Los_Angeles' })).newPage();
    await loginAs(friend, gachi.base, '이서준', new URL(link).pathname);
    await friend.click('[data-accept-invite]');
    await friend.waitForSelector('[data-room-name]');

    await addEvent(owner, gachi.base, roomId, { title: '송년회', date: '2026-12-24', start: '19:00', end: '21:00', location: '홍대' });
    await addEvent(friend, gachi.base, roomId, { title: 'Christmas', date: '2026-12-25', allDay: true });

    for (const page of [owner, friend]) {
      await page.goto(`${gachi.base}/rooms/${roomId}?view=month&date=2026-12-01`);
      const on24 = await page.textContent('td[data-date="2026-12-24"]');
      const on25 = await page.textContent('td[data-date="2026-12-25"]');
      assert.match(on24, /송년회/);
      assert.match(on25, /Christmas/, 'the all-day event stays on 12-25 in every browser zone');
      assert.doesNotMatch(on24, /Christmas/);
      assert.doesNotMatch(await page.textContent('td[data-date="2026-12-26"]'), /Christmas/);
      assert.ok(await page.isVisible('td[data-date="2026-12-25"] [data-holiday]'), 'Christmas is a Korean holiday');

      await page.goto(`${gachi.base}/rooms/${roomId}?view=week&date=2026-12-24`);
      assert.match(await page.textContent('li[data-date="2026-12-24"]'), /송년회/);
      assert.match(await page.textContent('li[data-date="2026-12-25"]'), /Christmas/);

      await page.goto(`${gachi.base}/rooms/${roomId}?view=list&date=2026-12-01`);
      const days = await page.$$eval('li[data-date]', (lis) => lis.map((li) => li.dataset.date));
      assert.deepEqual(days, ['2026-12-24', '2026-12-25']);
    }
    // The owner (Korean page) sees Korean time; the friend sees English.
    await owner.goto(`${gachi.base}/rooms/${roomId}?view=list&date=2026-12-01`);
    assert.match(await owner.textContent('li[data-date="2026-12-24"]'), /오후 7:00/);
    await friend.goto(`${gachi.base}/rooms/${roomId}?view=list&date=2026-12-01`);
    assert.match(await friend.textContent('li[data-date="2026-12-24"]'), /7:00 PM/);

    // The friend cannot edit the owner's event; the owner edits it and the sequence rises.
    await owner.goto(`${gachi.base}/rooms/${roomId}?view=list&date=2026-12-01`);
    await owner.click('li[data-date="2026-12-24"] [data-event-chip]');
    await owner.fill('#location', '합정');
    await owner.click('[data-save-event]');
    await owner.waitForSelector('[data-event-sequence="1"]');
  } finally {
    await browser.close();
    gachi.stop();
  }
});
