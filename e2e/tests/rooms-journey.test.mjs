// Issue #5's journey, as a new user would take it: open Gachi (sandbox mode), log in as a demo
// user, create a room, copy its invite link; a second person in another browser logs in as
// another demo user and joins; both see the room and each other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../lib/browser.mjs';
import { startServe } from '../lib/gachi.mjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function freshDb() {
  return `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-e2e-')), 'gachi.db')}`;
}

async function loginAs(page, base, nickname) {
  await page.goto(base);
  await page.click('[data-login]');
  // Kakao's (sandbox) login picker, then straight back: demo users have already agreed.
  await page.click(`button:has-text("${nickname}")`);
  await page.waitForURL(`${base}/`);
  assert.equal(await page.textContent('[data-me]'), nickname);
}

test('two friends meet in a room through an invite link', async () => {
  const gachi = await startServe([], { GACHI_DATABASE_URL: freshDb() });
  const browser = await launchBrowser();
  try {
    const owner = await (await browser.newContext({ locale: 'ko-KR' })).newPage();
    await loginAs(owner, gachi.base, '김민지');
    assert.ok(await owner.isVisible('[data-sandbox-banner]'));
    await owner.fill('#name', '연말 모임 <b>방</b>');
    await owner.fill('#description', '대학 동기들');
    await owner.click('[data-create-room] button[type=submit]');
    await owner.waitForSelector('[data-room-name]');
    assert.equal(await owner.textContent('[data-room-name]'), '연말 모임 <b>방</b>', 'names are text, never markup');
    const roomUrl = owner.url();
    await owner.click('[data-new-invite]');
    // The invite screen: its QR code is an image, measured once the page has loaded.
    await owner.waitForURL(`${roomUrl}/invite`);
    await owner.waitForLoadState('load');
    const link = (await owner.textContent('[data-invite-link]')).trim();
    const code = (await owner.textContent('[data-invite-code]')).trim();
    assert.match(code, /^[2-9A-HJ-NP-Z]{8}$/);
    assert.equal(link, `${gachi.base}/i/${code}`);
    const qr = await owner.$eval('[data-invite-qr]', (img) => img.naturalWidth);
    assert.ok(qr > 0, 'the QR code image loads');

    const friendContext = await browser.newContext({ locale: 'ko-KR' });
    const friend = await friendContext.newPage();
    await friend.goto(link);
    // Logged out: the invitation shows the room first; its button goes through Kakao login and
    // on into the room.
    assert.equal(await friend.textContent('[data-invite-room]'), '연말 모임 <b>방</b>');
    await friend.click('[data-accept-invite]');
    await friend.click('button:has-text("이서준")');
    await friend.waitForSelector('[data-room-name]');
    const friendSees = await friend.$$eval('[data-members] li', (lis) => lis.map((li) => li.textContent.trim()));
    assert.equal(friendSees.length, 2);
    assert.ok(friendSees[0].startsWith('김민지'));
    assert.ok(friendSees[1].startsWith('이서준'));

    await owner.goto(roomUrl);
    const ownerSees = await owner.$$eval('[data-members] li', (lis) => lis.length);
    assert.equal(ownerSees, 2);
    await friend.goto(gachi.base);
    assert.deepEqual(await friend.$$eval('[data-room-link]', (as) => as.map((a) => a.textContent)), ['연말 모임 <b>방</b>']);
  } finally {
    await browser.close();
    gachi.stop();
  }
});

test('login works cross-site: the sandbox on localhost, Gachi on 127.0.0.1', async () => {
  const { startSandbox, start } = await import('../lib/gachi.mjs');
  const sandbox = await startSandbox(['--public-url', 'http://localhost:0']);
  const kakaoBase = sandbox.base.replace('127.0.0.1', 'localhost');
  const app = (await (await fetch(`${sandbox.base}/_admin/app`)).json());
  const serve = await start(['serve', '--bind', '127.0.0.1:0'], /Gachi on (\S+)/, {
    GACHI_DATABASE_URL: freshDb(),
    GACHI_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    KAKAO_REST_API_KEY: app.rest_api_key,
    KAKAO_CLIENT_SECRET: app.client_secret,
    KAKAO_ADMIN_KEY: app.admin_key,
    KAKAO_AUTH_BASE: kakaoBase,
    KAKAO_API_BASE: kakaoBase,
  });
  const base = serve.match[1];
  await fetch(`${sandbox.base}/_admin/app`, {
    method: 'PUT', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [`${base}/auth/kakao/callback`], unlink_webhook_url: `${base}/webhooks/kakao/unlink` }),
  });
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(base);
    assert.equal(await page.$('[data-sandbox-banner]'), null, 'real-keys mode: no sandbox banner');
    await page.click('[data-login]');
    await page.waitForURL(/localhost:\d+\/oauth\/authorize/);
    await page.click('button:has-text("박지우")');
    await page.waitForURL(`${base}/`);
    assert.equal(await page.textContent('[data-me]'), '박지우');
  } finally {
    await browser.close();
    serve.stop();
    sandbox.stop();
  }
});
