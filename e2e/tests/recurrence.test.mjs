// Issue #20's browser test, on a phone (390×844, touch, ko-KR): a member adds "격주 목요일 스터디"
// repeating every 2 weeks through the event form, sees it on the right Thursdays of the month
// view (and not on the Thursdays between), then cancels one occurrence (이 일정만): that day no
// longer shows it and the others still do. One server and one browser for the file's cases.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../lib/browser.mjs';
import { startServe } from '../lib/gachi.mjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TITLE = '격주 목요일 스터디';
let gachi;
let browser;
let page;
let roomId;

async function cell(date) {
  return page.textContent(`td[data-date="${date}"]`);
}

async function month() {
  await page.goto(`${gachi.base}/rooms/${roomId}?view=month&date=2026-12-01`);
}

before(async () => {
  const db = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-e2e-')), 'gachi.db')}`;
  gachi = await startServe([], { GACHI_DATABASE_URL: db });
  browser = await launchBrowser();
  const context = await browser.newContext({
    locale: 'ko-KR',
    timezoneId: 'Asia/Seoul',
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
  });
  page = await context.newPage();
  await page.goto(`${gachi.base}/auth/kakao/login?next=${encodeURIComponent('/')}`);
  await page.click('button:has-text("김민지")');
  await page.waitForURL(`${gachi.base}/`);
  await page.fill('#name', '스터디 모임');
  await page.click('[data-create-room] button[type=submit]');
  await page.waitForSelector('[data-room-name]');
  roomId = new URL(page.url()).pathname.split('/')[2];
});

after(async () => {
  await browser?.close();
  gachi?.stop();
});

test('a series made with the repeat choice shows on every other Thursday', async () => {
  await page.goto(`${gachi.base}/rooms/${roomId}/events/new?date=2026-12-03`);
  await page.fill('#title', TITLE);
  await page.fill('#start_time', '19:00');
  await page.fill('#end_time', '21:00');
  await page.selectOption('#repeat', 'biweekly');
  await page.tap('[data-save-event]');
  await page.waitForSelector('[data-calendar]');

  await month();
  for (const day of ['2026-12-03', '2026-12-17', '2026-12-31']) {
    assert.match(await cell(day), new RegExp(TITLE), `${day} is one of its Thursdays`);
  }
  for (const day of ['2026-12-10', '2026-12-24']) {
    assert.doesNotMatch(await cell(day), new RegExp(TITLE), `${day} is a Thursday between`);
  }

  // The occurrence's page names the rule in Korean.
  await page.tap('td[data-date="2026-12-17"] [data-event-chip]');
  await page.waitForSelector('[data-repeat-label]');
  assert.match(await page.textContent('[data-repeat-label]'), /격주 목요일/);
  assert.equal(await page.inputValue('#date'), '2026-12-17', 'the page opens on that occurrence');
});

test('cancelling one occurrence (이 일정만) leaves the others', async () => {
  await month();
  await page.tap('td[data-date="2026-12-17"] [data-event-chip]');
  await page.waitForSelector('[data-delete-occurrence]');
  const buttons = await page.$$eval('[data-delete-occurrence] button', (bs) => bs.map((b) => b.textContent.trim()));
  assert.deepEqual(buttons, ['이 일정만 삭제', '이후 모든 일정 삭제', '모든 일정 삭제']);
  // The shell asks first (issue #16), naming the scope; saying no leaves the occurrence.
  await page.tap('[data-delete-scope="this"]');
  await page.waitForSelector('#confirm-dialog[open]');
  assert.equal(await page.textContent('#confirm-dialog [data-confirm-title]'), '이 날의 일정만 삭제할까요?');
  await page.tap('#confirm-dialog [data-confirm-cancel]');
  await page.waitForSelector('#confirm-dialog:not([open])', { state: 'attached' });
  await month();
  assert.match(await cell('2026-12-17'), new RegExp(TITLE), 'cancelled the question: still there');
  // Asked again, confirming deletes only this one.
  await page.tap('td[data-date="2026-12-17"] [data-event-chip]');
  await page.waitForSelector('[data-delete-occurrence]');
  await page.tap('[data-delete-scope="this"]');
  await page.waitForSelector('#confirm-dialog[open]');
  await page.tap('#confirm-dialog [data-confirm-ok]');
  await page.waitForSelector('[data-calendar]');

  await month();
  assert.doesNotMatch(await cell('2026-12-17'), new RegExp(TITLE), 'the cancelled day is empty');
  assert.match(await cell('2026-12-03'), new RegExp(TITLE));
  assert.match(await cell('2026-12-31'), new RegExp(TITLE));
  await page.goto(`${gachi.base}/rooms/${roomId}?view=month&date=2027-01-01`);
  assert.match(await cell('2027-01-14'), new RegExp(TITLE), 'the series goes on');
});
