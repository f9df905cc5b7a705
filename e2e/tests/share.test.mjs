// Issue 7 in a real browser, sandbox mode: the owner opens the share page (no consent screen,
// issue #17), picks friends and sends, is asked for talk_message consent on the sandbox's
// consent screen, comes back to the same share with the picks intact and the send finishes;
// each friend's inbox shows the card exactly once, and
// its link opens the public share page without a session. Then Kakao Talk Share through the
// sandbox's stand-in SDK lands the card in the chosen chat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../lib/browser.mjs';
import { startServe } from '../lib/gachi.mjs';

const MINJI = 4000000001;
const SEOJUN = 4000000002;
const JIWOO = 4000000003;

function freshDb() {
  return `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-e2e-')), 'gachi.db')}`;
}

async function loginAs(page, base, nickname) {
  await page.goto(base);
  await page.click('[data-login]');
  await page.click(`button:has-text("${nickname}")`);
  await page.waitForURL(`${base}/`);
}

async function createRoom(page, name) {
  await page.fill('#name', name);
  await page.click('[data-create-room] button[type=submit]');
  await page.waitForSelector('[data-room-name]');
  return new URL(page.url()).pathname.split('/')[2];
}

async function uuidOf(base, id) {
  const { users } = await (await fetch(`${base}/_kakao/_admin/users`)).json();
  return users.find((u) => u.id === id).uuid;
}

async function inbox(base, id) {
  return (await (await fetch(`${base}/_kakao/_admin/inbox/${id}`)).json()).messages;
}

async function eventually(check, what) {
  for (let i = 0; i < 100; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('the owner shares a schedule image to KakaoTalk friends after just-in-time consent', async () => {
  const gachi = await startServe([], { GACHI_DATABASE_URL: freshDb() });
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'ko-KR' })).newPage();
    await loginAs(page, gachi.base, '김민지');
    const room = await createRoom(page, '연말 모임 "파티" <b>');
    assert.ok(await page.isVisible('[data-share-link]'), 'the room page links to sharing');
    const seojun = await uuidOf(gachi.base, SEOJUN);
    const jiwoo = await uuidOf(gachi.base, JIWOO);

    // Opening the share page asks nothing; the picks from the address are there.
    await page.goto(`${gachi.base}/rooms/${room}/share?layout=month&date=2026-12&to=${seojun}`);
    await page.waitForSelector('[data-friends-form]');
    assert.equal(new URL(page.url()).pathname, `/rooms/${room}/share`);
    assert.equal(await page.inputValue('[data-layout-select]'), 'month');
    assert.equal(await page.inputValue('[data-date-input]'), '2026-12');
    assert.equal(await page.isChecked(`[data-pick="${seojun}"]`), true);
    assert.equal(await page.$$eval('[data-friend]', (lis) => lis.length), 4);
    const preview = await page.$eval('[data-share-preview]', (img) => img.naturalWidth);
    assert.equal(preview, 780, 'the preview is the bubble picture, loaded');

    // Pick a second friend, send: Kakao asks for talk_message, and only that.
    await page.check(`[data-pick="${jiwoo}"]`);
    await Promise.all([page.waitForURL(/\/_kakao\/oauth\/authorize/), page.click('[data-send-friends]')]);
    assert.match(new URL(page.url()).searchParams.get('scope'), /^openid,talk_message$/);
    await page.click('button[value=agree]');
    await page.waitForURL(new RegExp(`/rooms/${room}/share\\?`));
    // The same share, picks intact, and the send finishes.
    assert.equal(await page.inputValue('[data-layout-select]'), 'month');
    assert.equal(await page.inputValue('[data-date-input]'), '2026-12');
    assert.equal(await page.isChecked(`[data-pick="${seojun}"]`), true);
    assert.equal(await page.isChecked(`[data-pick="${jiwoo}"]`), true);
    for (const uuid of [seojun, jiwoo]) {
      await page.waitForSelector(`[data-recipient="${uuid}"][data-status="sent"]`, { timeout: 20000 });
    }
    const publicUrl = (await page.textContent('[data-public-link]')).trim();
    assert.match(publicUrl, new RegExp(`^${gachi.base}/s/`));

    for (const friend of [SEOJUN, JIWOO]) {
      const messages = await inbox(gachi.base, friend);
      assert.equal(messages.length, 1, `exactly one card for ${friend}`);
      const content = messages[0].template.content;
      assert.equal(content.title, '연말 모임 "파티" <b> · 월간 일정');
      assert.match(content.image_url, /^http/);
      assert.equal(content.link.web_url, publicUrl);
    }

    // The card's link, in a browser without a Gachi session.
    const stranger = await (await browser.newContext({ locale: 'ko-KR' })).newPage();
    await stranger.goto(publicUrl);
    assert.equal(await stranger.textContent('[data-public-title]'), '연말 모임 "파티" <b> · 월간 일정');
    assert.ok(await stranger.$eval('[data-public-image]', (img) => img.naturalWidth > 0));
    assert.equal(await stranger.$('[data-me]'), null, 'no session needed');
    const roomPage = await stranger.goto(`${gachi.base}/rooms/${room}`);
    assert.notEqual(roomPage.url(), `${gachi.base}/rooms/${room}`, 'the room itself is not shown');
  } finally {
    await browser.close();
    gachi.stop();
  }
});

test('Kakao Talk Share through the sandbox SDK lands the card in the chosen chat', async () => {
  const gachi = await startServe([], { GACHI_DATABASE_URL: freshDb() });
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await loginAs(page, gachi.base, '김민지');
    const room = await createRoom(page, '등산 모임');
    await fetch(`${gachi.base}/_kakao/_admin/consent`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: MINJI, scopes: ['talk_message'] }),
    });
    await page.goto(`${gachi.base}/rooms/${room}/share?layout=week&date=2026-12-24`);
    await page.waitForSelector('[data-talk-share]');
    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('[data-talk-share]')]);
    await popup.waitForSelector(`[data-sharer="${MINJI}"]`);
    await popup.click(`[data-sharer="${MINJI}"]`);
    await popup.waitForSelector(`[data-chat="${SEOJUN}"]`);
    await popup.click(`[data-chat="${SEOJUN}"]`);
    const messages = await eventually(async () => {
      const m = await inbox(gachi.base, SEOJUN);
      return m.length ? m : null;
    }, 'the shared card');
    assert.equal(messages.length, 1);
    assert.equal(messages[0].chat, 'DirectChat');
    assert.equal(messages[0].from, MINJI);
    const content = messages[0].template.content;
    assert.equal(content.title, '등산 모임 · 주간 일정');
    assert.match(content.link.web_url, new RegExp(`^${gachi.base}/s/`));
    const card = await fetch(content.image_url);
    assert.equal(card.status, 200, 'the card image is public');
  } finally {
    await browser.close();
    gachi.stop();
  }
});
