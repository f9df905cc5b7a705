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
import { readFile } from 'node:fs/promises';
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
  // The page opens without any consent screen (issue #17: consent is asked when a send needs it).
  await page.goto(`${gachi.base}/rooms/${room}/share`);
  await page.waitForSelector('[data-friends-form]');
  assert.equal(new URL(page.url()).pathname, `/rooms/${room}/share`);
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
    await page.selectOption('[data-event-select]', '');
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
    await page.selectOption('[data-event-select]', '');
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

// Issue #17's done-when: on each phone, an owner who has not agreed to talk_message opens the
// share page, downloads the picture and shares through Talk Share without any consent screen,
// then sends to a friend: the page has said what Kakao will ask, Kakao asks once for exactly
// talk_message, and the page comes back with the same picks (layout, date, friend) and finishes
// the send. Consent screens are counted by watching every navigation to Kakao's authorize page.
const MINJI = 4000000001;
const SEOJUN = 4000000002;

async function sandbox(path, body) {
  const resp = await fetch(`${gachi.base}/_kakao${path}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.ok(resp.ok, `${path}: ${resp.status}`);
  return resp.json();
}

async function inboxOf(id) {
  return (await sandbox(`/_admin/inbox/${id}`)).messages;
}

test('without consent the page opens, downloads and Talk Share ask nothing, and sending asks once and comes back to the picks', async () => {
  const { users } = await sandbox('/_admin/users');
  const seojun = users.find((u) => u.id === SEOJUN).uuid;
  for (const phone of PHONES) {
    const name = phone.name;
    await sandbox('/_admin/revoke', { user_id: MINJI, scopes: ['talk_message'] });
    const context = await phoneContext(browser, phone, { storageState });
    const consentScreens = [];
    context.on('request', (req) => {
      if (req.isNavigationRequest() && new URL(req.url()).pathname.endsWith('/oauth/authorize')) consentScreens.push(req.url());
    });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(15000);
      await page.goto(`${gachi.base}/rooms/${room}/share`);
      await page.waitForSelector('[data-friends-form]');
      assert.equal(new URL(page.url()).pathname, `/rooms/${room}/share`, `${name}: the page, not Kakao`);
      // What to send first: the next event, as its card, previewed at the bubble's width.
      assert.equal(await page.inputValue('[data-layout-select]'), 'card', `${name}: the next event first`);
      assert.ok(await page.$eval('[data-share-preview]', (img) => img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width <= 260), `${name}: preview`);
      // Pick the week of the 24th instead.
      await page.selectOption('[data-layout-select]', 'week');
      await page.fill('[data-date-input]', '2026-12-24');
      await Promise.all([page.waitForURL(/layout=week/), page.click('[data-layout-form] button[type=submit]')]);
      await shot(page, `share-flow-${name}`);
      assert.deepEqual(await phoneProblems(page), [], `${name}: the page before consent`);

      // Download: the full picture, no consent.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-download]')]);
      assert.equal(download.suggestedFilename(), 'gachi.png');
      const png = await readFile(await download.path());
      assert.equal(png.subarray(1, 4).toString(), 'PNG', `${name}: a PNG`);

      // Talk Share into 서준's chat: no consent either.
      const before = (await inboxOf(SEOJUN)).length;
      const [popup] = await Promise.all([context.waitForEvent('page'), page.click('[data-talk-share]')]);
      await popup.click(`[data-sharer="${MINJI}"]`);
      await popup.click(`[data-chat="${SEOJUN}"]`);
      await popup.waitForSelector('[data-share-done]');
      await popup.close();
      assert.equal((await inboxOf(SEOJUN)).length, before + 1, `${name}: the Talk Share card arrived`);
      assert.ok((await page.textContent('[data-talk-share-status]')).trim().length > 0, `${name}: Talk Share acknowledged`);
      assert.deepEqual(consentScreens, [], `${name}: no consent screen so far`);

      // Send to 서준: the sentence is there before, then Kakao asks once for talk_message.
      const note = page.locator('[data-consent-note="friends"]');
      assert.ok(await note.isVisible(), `${name}: what will be asked is said first`);
      assert.match(await note.textContent(), /메시지 보내기/);
      await page.check(`[data-pick="${seojun}"]`);
      await Promise.all([page.waitForURL(/\/oauth\/authorize/), page.click('[data-send-friends]')]);
      assert.equal(new URL(page.url()).searchParams.get('scope'), 'openid,talk_message', name);
      await page.click('button[value=agree]');
      await page.waitForURL(new RegExp(`/rooms/${room}/share\\?`));
      // The same picks, and the send finishes by itself.
      assert.equal(await page.inputValue('[data-layout-select]'), 'week', `${name}: layout kept`);
      assert.equal(await page.inputValue('[data-date-input]'), '2026-12-24', `${name}: date kept`);
      assert.equal(await page.isChecked(`[data-pick="${seojun}"]`), true, `${name}: friend kept`);
      await page.waitForSelector(`[data-recipient="${seojun}"][data-status="sent"]`, { timeout: 20000 });
      assert.equal(new URL(page.url()).searchParams.get('send'), null, `${name}: a reload sends nothing`);
      assert.equal(consentScreens.length, 1, `${name}: asked once`);
      // The status sits right under the send button.
      const gap = await page.evaluate(() => {
        const button = document.querySelector('[data-send-friends]').getBoundingClientRect();
        const status = document.querySelector('[data-share-status]').getBoundingClientRect();
        return status.top - button.bottom;
      });
      assert.ok(gap >= 0 && gap < 80, `${name}: status ${gap}px under the button`);
      const messages = await inboxOf(SEOJUN);
      assert.equal(messages.length, before + 2, `${name}: the Talk Share card and the sent one`);
      assert.ok(messages.every((m) => m.from === MINJI && m.chat === 'DirectChat'), name);
      await shot(page, `share-flow-sent-${name}`);
      assert.deepEqual(await phoneProblems(page), [], `${name}: the page after sending`);
      // Coming back from Kakao rotated the session: the next phone starts from this one.
      storageState = await context.storageState();
    } finally {
      await context.close();
    }
  }
});

// "Ask the friend who is missing": 서준 is in the room but has withdrawn his friends-list
// consent, so he is missing from 민지's picker. The page gives 민지 a full link to send him —
// copied, or as its own Kakao Talk Share message — and that link takes 서준, in his own browser,
// straight to Kakao's consent for `friends` and then into the room.
test('a missing member gets a consent link by Talk Share or copy, and it leads them to the friends consent', async () => {
  const owner = await phoneContext(browser, PHONES[0], { storageState });
  const friend = await phoneContext(browser, PHONES[0]);
  try {
    await owner.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gachi.base });
    const page = await owner.newPage();
    page.setDefaultTimeout(15000);
    // 서준 logs in and joins through an invitation.
    const mine = await friend.newPage();
    mine.setDefaultTimeout(15000);
    await mine.goto(`${gachi.base}/auth/kakao/login?next=${encodeURIComponent('/')}`);
    await mine.click('button:has-text("이서준")');
    await mine.waitForURL(`${gachi.base}/`);
    await page.goto(`${gachi.base}/rooms/${room}`);
    const code = await page.evaluate(async (room) => {
      const csrf = document.querySelector('meta[name="csrf-token"]').content;
      const r = await fetch(`/api/v1/rooms/${room}/invites`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: '{}' });
      return (await r.json()).code;
    }, room);
    const joined = await mine.evaluate(async (code) => {
      const csrf = document.querySelector('meta[name="csrf-token"]').content;
      return (await fetch(`/api/v1/invites/${code}/accept`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: '{}' })).status;
    }, code);
    assert.equal(joined, 200);
    await sandbox('/_admin/revoke', { user_id: SEOJUN, scopes: ['friends'] });
    // Kakao keeps a friend list for ten minutes (and Gachi for one): past both.
    await sandbox('/_admin/clock', { advance_seconds: 601 });

    await page.goto(`${gachi.base}/rooms/${room}/share?layout=week&date=2026-12-24`);
    const item = page.locator('[data-missing]').filter({ hasText: '이서준' });
    await item.waitFor();
    const link = await item.locator('[data-member-consent-link]').inputValue();
    assert.equal(link, `${gachi.base}/auth/kakao/login?scope=friends&next=${encodeURIComponent(`/rooms/${room}`)}`);
    await shot(page, 'share-ask-missing-360x740');
    assert.deepEqual(await phoneProblems(page), [], 'the page with a missing member');

    // Copy: acknowledged, and the clipboard holds the full link.
    await item.locator('[data-copy-ask]').click();
    await page.waitForFunction(() => document.querySelector('[data-missing] [data-ask-status]').textContent.trim() !== '');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);

    // Talk Share: its own message in 서준's chat, linking to the same place.
    const before = (await inboxOf(SEOJUN)).length;
    const [popup] = await Promise.all([owner.waitForEvent('page'), item.locator('[data-ask-talk-share]').click()]);
    await popup.click(`[data-sharer="${MINJI}"]`);
    await popup.click(`[data-chat="${SEOJUN}"]`);
    await popup.waitForSelector('[data-share-done]');
    const messages = await inboxOf(SEOJUN);
    assert.equal(messages.length, before + 1);
    const texts = messages.filter((m) => m.template.object_type === 'text');
    assert.equal(texts.length, 1, 'one consent request in his chat');
    const asked = texts[0].template;
    assert.match(asked.text, /같이에서 친구 목록 동의가 필요해요/);
    assert.equal(asked.link.web_url, link);

    // 서준 opens it: Kakao asks him for `friends`, and he lands in the room.
    await mine.goto(asked.link.web_url);
    await mine.waitForSelector('li[data-scope="friends"]');
    assert.equal(new URL(mine.url()).searchParams.get('scope'), 'openid,friends');
    await mine.click('button[value=agree]');
    await mine.waitForURL(`${gachi.base}/rooms/${room}`);
    const agreed = (await sandbox('/_admin/users')).users.find((u) => u.id === SEOJUN).agreed;
    assert.ok(agreed.includes('friends'), 'the consent was given');
  } finally {
    await owner.close();
    await friend.close();
  }
});
