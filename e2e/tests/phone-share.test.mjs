// Issue #17 (the share page is one thumb's work), on phones: an owner whose room holds an event
// with a 100-character title opens the share page at 360×740 and 390×844 (touch, ko-KR), light
// and dark. The page fits the screen whatever the titles (the event picker cuts its options
// instead of widening the page), "다시 보내기" and "취소" stay out of sight until something was
// sent, and asking for an event card without an event is explained next to the event picker —
// by the script before anything is asked, and by the server's page without script — never a
// dead-end error page. One server, one browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../lib/browser.mjs';
import { startServe } from '../lib/gachi.mjs';
import { PHONES, phoneContext, phoneProblems } from '../lib/phone.mjs';

const SHOTS = process.env.SCREENSHOT_DIR;
const TITLE = '연말 모임 장소와 시간을 정하기 위한 아주 긴 제목의 일정이에요 '.repeat(4).slice(0, 100);
const NEEDS_EVENT = '일정 카드에는 일정을 골라야 해요.';

let gachi;
let browser;
let room;
let storageState;

before(async () => {
  const db = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-e2e-')), 'gachi.db')}`;
  gachi = await startServe([], { GACHI_DATABASE_URL: db });
  browser = await launchBrowser();

  // The owner, the room and the long-titled event, then the consent the share page asks for
  // (the existing just-in-time flow, as share.test.mjs follows it), once for every phone after.
  const context = await browser.newContext({ locale: 'ko-KR' });
  const page = await context.newPage();
  await page.goto(`${gachi.base}/auth/kakao/login?next=${encodeURIComponent('/')}`);
  await page.click('button:has-text("김민지")');
  await page.waitForURL(`${gachi.base}/`);
  await page.fill('#name', '긴 제목 방');
  await page.click('[data-create-room] button[type=submit]');
  await page.waitForSelector('[data-room-name]');
  room = new URL(page.url()).pathname.split('/')[2];
  await page.goto(`${gachi.base}/rooms/${room}/events/new?date=2026-12-24`);
  await page.fill('#title', TITLE);
  await page.click('[data-save-event]');
  await page.waitForSelector('[data-calendar]');
  await page.goto(`${gachi.base}/rooms/${room}/share`);
  await page.waitForURL(/\/_kakao\/oauth\/authorize/);
  await page.click('button[value=agree]');
  await page.waitForURL(new RegExp(`/rooms/${room}/share\\?`));
  assert.equal(await page.$$eval('[data-event-select] option', (os, title) => os.filter((o) => o.textContent.includes(title)).length, TITLE), 1);
  storageState = await context.storageState();
  await context.close();
});

after(async () => {
  await browser?.close();
  gachi?.stop();
});

async function shot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function eachPhone(check, options = {}) {
  for (const phone of PHONES) {
    for (const colorScheme of ['light', 'dark']) {
      const context = await phoneContext(browser, phone, { colorScheme, storageState, ...options });
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(10000);
        await check(page, `${phone.name}-${colorScheme}`);
      } finally {
        await context.close();
      }
    }
  }
}

async function assertEventErrorShown(page, where) {
  const error = page.locator('[data-field-error="event"]');
  await error.waitFor({ state: 'visible' });
  assert.equal((await error.textContent()).trim(), NEEDS_EVENT, where);
  const select = page.locator('[data-event-select]');
  assert.equal(await select.getAttribute('aria-invalid'), 'true', where);
  assert.equal(await select.getAttribute('aria-describedby'), await error.getAttribute('id'), where);
  assert.equal(await page.inputValue('[data-layout-select]'), 'card', `${where}: the pick is kept`);
  assert.equal(await page.locator('[data-error-page], .error-page').count(), 0, `${where}: not an error page`);
  assert.ok(await page.isVisible('[data-friends-form]'), `${where}: the share page itself`);
}

test('the share page fits a phone whatever the titles, hides resend and cancel, and passes the phone checks', async () => {
  await eachPhone(async (page, name) => {
    await page.goto(`${gachi.base}/rooms/${room}/share`);
    await page.waitForSelector('[data-friends-form]');
    assert.match(new URL(page.url()).pathname, new RegExp(`^/rooms/${room}/share$`), name);
    await shot(page, `share-${name}`);
    assert.deepEqual(await phoneProblems(page), [], name);
    const select = await page.$eval('[data-event-select]', (s) => ({ width: s.getBoundingClientRect().width, box: s.parentElement.clientWidth }));
    assert.ok(select.width <= select.box, `${name}: the event picker is ${select.width}px in ${select.box}px`);
    assert.equal(await page.isVisible('[data-resend-selected]'), false, `${name}: nothing to resend yet`);
    assert.equal(await page.isVisible('[data-cancel-share]'), false, `${name}: nothing to cancel yet`);
  });
});

test('a card without an event is explained next to the event picker, with and without script', async () => {
  await eachPhone(async (page, name) => {
    await page.goto(`${gachi.base}/rooms/${room}/share`);
    await page.waitForSelector('[data-friends-form]');
    const before = page.url();
    assert.equal(await page.isVisible('[data-field-error="event"]'), false, name);
    await page.selectOption('[data-layout-select]', 'card');
    await page.click('[data-layout-form] button[type=submit]');
    await assertEventErrorShown(page, `${name} (script)`);
    assert.equal(page.url(), before, `${name}: the script kept the page`);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-event-select')), '', `${name}: focus on the picker`);
    await shot(page, `share-card-no-event-${name}`);
    assert.deepEqual(await phoneProblems(page), [], `${name} with the error`);
  });

  await eachPhone(async (page, name) => {
    await page.goto(`${gachi.base}/rooms/${room}/share`);
    await page.waitForSelector('[data-friends-form]');
    await page.selectOption('[data-layout-select]', 'card');
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.click('[data-layout-form] button[type=submit]'),
    ]);
    assert.equal(response.status(), 422, name);
    assert.equal(new URL(page.url()).searchParams.get('layout'), 'card', name);
    await assertEventErrorShown(page, `${name} (no script)`);
    await shot(page, `share-card-no-event-noscript-${name}`);
    assert.equal(await page.isVisible('[data-resend-selected]'), false, `${name}: nothing to resend yet`);
    assert.equal(await page.isVisible('[data-cancel-share]'), false, `${name}: nothing to cancel yet`);
  }, { javaScriptEnabled: false });

  // The server's page with the error passes the phone checks too (they run in the page, so
  // with script: the page the server answers is the same).
  await eachPhone(async (page, name) => {
    const response = await page.goto(`${gachi.base}/rooms/${room}/share?layout=card&event=&date=`);
    assert.equal(response.status(), 422, name);
    await assertEventErrorShown(page, `${name} (the server's page)`);
    assert.deepEqual(await phoneProblems(page), [], `${name}: the server's page with the error`);
  });
});
