// Kakao Talk Share through the sandbox's stand-in SDK, in a real browser: an app page on its own
// origin uploads an image and shares a feed card, a person picks who they are and which chat in
// the sandbox's picker popup, the card lands in that inbox, and the share webhook receives the
// callback arguments with Kakao's headers. Issue #3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { launch } from '../lib/browser.mjs';
import { startSandbox } from '../lib/gachi.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CARD_PNG = readFileSync(join(here, '..', '..', 'crates', 'kakao-sandbox', 'tests', 'it', 'card.png'));
const SHOTS = process.env.SCREENSHOT_DIR;

const SHARER = 4000000001; // 김민지 (demo user)
const FRIEND = 4000000002; // 이서준, her KakaoTalk friend

/** The app: a page using the SDK, and the share webhook, on an ephemeral port. */
function startApp(sandboxBase, jsKey) {
  const webhookCalls = [];
  let notify;
  const webhookCalled = new Promise((resolve) => { notify = resolve; });
  const page = `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>Gachi share test</title></head>
<body><button id="share">카카오톡 공유</button><p id="status"></p>
<script src="${sandboxBase}/_sdk/kakao.js"></script>
<script>
  Kakao.init(${JSON.stringify(jsKey)});
  const png = Uint8Array.from(atob(${JSON.stringify(CARD_PNG.toString('base64'))}), (c) => c.charCodeAt(0));
  document.getElementById('share').addEventListener('click', async () => {
    const file = new File([png], 'card.png', { type: 'image/png' });
    const popup = window.open('', 'sharer'); // opened inside the click, as the SDK does
    const uploaded = await Kakao.Share.uploadImage({ file: [file] });
    const img = uploaded.infos.original;
    window.uploadedUrl = img.url;
    Kakao.Share.sendDefault({
      objectType: 'feed',
      content: {
        title: '토요일 등산 <b>모임</b>',
        description: '5/24(토) 09:00 북한산',
        imageUrl: img.url, imageWidth: img.width, imageHeight: img.height,
        link: { webUrl: 'https://gachi.example/rooms/7', mobileWebUrl: 'https://gachi.example/rooms/7' },
      },
      buttons: [{ title: '일정 보기', link: { webUrl: 'https://gachi.example/rooms/7/events/3' } }],
      serverCallbackArgs: { room_id: 'r7', share_id: 's-42' },
    });
    document.getElementById('status').textContent = 'sent to picker ' + Boolean(popup);
  });
</script></body></html>`;
  const server = createServer((req, res) => {
    if (req.url === '/app') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
      return;
    }
    if (req.url.startsWith('/webhook')) {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const query = new URL(req.url, 'http://x').searchParams;
        const params = Object.fromEntries(new URLSearchParams(req.method === 'POST' ? body : query));
        webhookCalls.push({ method: req.method, headers: req.headers, params });
        res.writeHead(200);
        res.end('ok');
        notify();
      });
      return;
    }
    res.writeHead(404);
    res.end();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      resolve({ origin, webhookCalls, webhookCalled, close: () => server.close() });
    });
  });
}

async function putApp(base, patch) {
  const resp = await fetch(`${base}/_admin/app`, {
    method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch),
  });
  assert.equal(resp.status, 200);
}

test('a feed card shared with the stand-in SDK lands in the chosen chat and calls the webhook', async () => {
  const sandbox = await startSandbox();
  const app = await startApp(sandbox.base, sandbox.app.javascript_key);
  const context = await launch();
  try {
    await putApp(sandbox.base, {
      js_domains: [app.origin],
      share_webhook_url: `${app.origin}/webhook`,
    });
    const page = await context.newPage();
    await page.goto(`${app.origin}/app`);

    // The SDK's own errors.
    assert.equal(await page.evaluate(() => Kakao.isInitialized()), true);
    const again = await page.evaluate(() => { try { Kakao.init('x'); return null; } catch (e) { return e.message; } });
    assert.equal(again, 'Kakao.init: Already initialized');
    const threeButtons = await page.evaluate(() => {
      const b = { title: 'b', link: { webUrl: 'https://gachi.example' } };
      try {
        Kakao.Share.sendDefault({ objectType: 'feed', content: { title: 't', imageUrl: 'https://gachi.example/i.png', link: b.link }, buttons: [b, b, b] });
        return null;
      } catch (e) { return e.message; }
    });
    assert.match(threeButtons, /size of buttons should be up to 2/);
    const noLink = await page.evaluate(() => {
      try { Kakao.Share.sendDefault({ objectType: 'feed', content: { title: 't', imageUrl: 'x' } }); return null; } catch (e) { return e.message; }
    });
    assert.match(noLink, /Missing required keys: link/);
    const badType = await page.evaluate(() => {
      try { Kakao.Share.sendDefault({ objectType: 'poster' }); return null; } catch (e) { return e.message; }
    });
    assert.equal(badType, 'objectType should be one of (feed, list, location, commerce, text, calendar)');
    const cleaned = await page.evaluate(() => {
      Kakao.cleanup();
      const shareGone = Kakao.Share === undefined;
      let empty = null;
      try { Kakao.init(''); } catch (e) { empty = e.message; }
      return { shareGone, empty };
    });
    assert.deepEqual(cleaned, { shareGone: true, empty: 'Kakao.init: App key must be provided' });
    await page.reload();

    // A person shares: the popup is the sandbox's picker.
    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#share')]);
    await popup.waitForSelector(`[data-sharer="${SHARER}"]`);
    assert.ok(await popup.isVisible('[data-sandbox-banner]'));
    if (SHOTS) { mkdirSync(SHOTS, { recursive: true }); await popup.screenshot({ path: join(SHOTS, 'share-picker-who.png'), fullPage: true }); }
    await popup.click(`[data-sharer="${SHARER}"]`);
    await popup.waitForSelector(`[data-chat="${FRIEND}"]`);
    assert.ok(await popup.isVisible('[data-chat="memo"]'), '나와의 채팅 is offered');
    if (SHOTS) await popup.screenshot({ path: join(SHOTS, 'share-picker-chat.png'), fullPage: true });
    await popup.click(`[data-chat="${FRIEND}"]`);
    await popup.waitForSelector('[data-share-done]');
    assert.equal(await popup.getAttribute('[data-share-done]', 'data-webhook-status'), '200');

    // The card is in the friend's inbox, once, from the sharer.
    const uploadedUrl = await page.evaluate(() => window.uploadedUrl);
    assert.ok(uploadedUrl.startsWith(`${sandbox.base}/_sandbox/images/`), uploadedUrl);
    const inbox = await (await fetch(`${sandbox.base}/_admin/inbox/${FRIEND}`)).json();
    assert.equal(inbox.messages.length, 1);
    const [msg] = inbox.messages;
    assert.equal(msg.chat, 'DirectChat');
    assert.equal(msg.from, SHARER);
    assert.equal(msg.template.object_type, 'feed');
    assert.equal(msg.template.content.title, '토요일 등산 <b>모임</b>');
    assert.equal(msg.template.content.image_url, uploadedUrl);
    assert.equal(msg.template.buttons[0].link.web_url, 'https://gachi.example/rooms/7/events/3');
    const sharerInbox = await (await fetch(`${sandbox.base}/_admin/inbox/${SHARER}`)).json();
    assert.equal(sharerInbox.messages.length, 0);

    // The webhook: once, with Kakao's headers and the callback arguments.
    await app.webhookCalled;
    assert.equal(app.webhookCalls.length, 1);
    const [call] = app.webhookCalls;
    assert.equal(call.headers.authorization, `KakaoAK ${sandbox.app.admin_key}`);
    assert.equal(call.headers['user-agent'], 'KakaoOpenAPI/1.0');
    assert.ok(call.headers['x-kakao-resource-id']);
    assert.equal(call.params.CHAT_TYPE, 'DirectChat');
    assert.ok(call.params.HASH_CHAT_ID.length > 10);
    assert.equal(call.params.room_id, 'r7');
    assert.equal(call.params.share_id, 's-42');
    assert.equal(call.params.TEMPLATE_ID, undefined);

    // The inbox page shows the card with its image (loaded) and links, text escaped.
    const inboxPage = await context.newPage();
    await inboxPage.setViewportSize({ width: 480, height: 800 });
    await inboxPage.goto(`${sandbox.base}/_inbox/${FRIEND}`);
    const card = inboxPage.locator(`[data-message-id="${msg.id}"]`);
    await card.waitFor();
    assert.ok(await inboxPage.isVisible('[data-sandbox-banner]'));
    const img = card.locator('img.card-image');
    assert.equal(await img.getAttribute('src'), uploadedUrl);
    await inboxPage.waitForFunction((sel) => document.querySelector(sel)?.naturalWidth === 800, `[data-message-id="${msg.id}"] img.card-image`);
    assert.equal(await card.locator('.card-title').textContent(), '토요일 등산 <b>모임</b>');
    assert.equal(await card.locator('a.card-title').getAttribute('href'), 'https://gachi.example/rooms/7');
    assert.equal(await card.locator('[data-button]').first().getAttribute('href'), 'https://gachi.example/rooms/7/events/3');
    if (SHOTS) await inboxPage.screenshot({ path: join(SHOTS, 'inbox.png'), fullPage: true });
  } finally {
    await context.close();
    app.close();
    sandbox.stop();
  }
});

test('a page on an unregistered origin gets Kakao\'s domain error in the picker', async () => {
  const sandbox = await startSandbox();
  const context = await launch();
  try {
    // The sandbox's own demo page: its origin is not among the demo app's js_domains.
    const page = await context.newPage();
    await page.goto(`${sandbox.base}/_sandbox/share-demo`);
    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#share')]);
    await popup.waitForSelector('[data-share-error]');
    assert.equal(await popup.getAttribute('[data-share-error]', 'data-share-error'), '-401');
    assert.match(await popup.textContent('main'), /domain mismatched! caller=http:\/\/127\.0\.0\.1:\d+/);

    // Registered, the same page shares into the sharer's own chat (나와의 채팅).
    await putApp(sandbox.base, { js_domains: [sandbox.base] });
    await popup.close();
    const [second] = await Promise.all([context.waitForEvent('page'), page.click('#share')]);
    await second.click(`[data-sharer="${SHARER}"]`);
    await second.click('[data-chat="memo"]');
    await second.waitForSelector('[data-share-done]');
    const inbox = await (await fetch(`${sandbox.base}/_admin/inbox/${SHARER}`)).json();
    assert.equal(inbox.messages.length, 1);
    assert.equal(inbox.messages[0].chat, 'MemoChat');
    assert.equal(inbox.messages[0].from, null);
  } finally {
    await context.close();
    sandbox.stop();
  }
});
