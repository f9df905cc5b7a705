// Kakao's friends/message permission review asks for screenshots of the working flow — login,
// choosing friends, the sent message in the recipient's chat — with personal data masked
// (issue #9, part 2), and reviewers like a short video of the whole scenario. This run makes
// them in sandbox mode on a phone-sized screen, following the just-in-time flow of issue #17
// (the share page opens without consent; the first send asks for talk_message, then finishes),
// and saves the screenshots to e2e/out/review/ (or REVIEW_KIT_DIR); docs/kakao-review.md shows
// a committed set. With REVIEW_KIT_VIDEO=path.mp4 the same run also records the screen through
// the DevTools protocol (Page.startScreencast: no downloaded ffmpeg or browser) and assembles
// the frames with the system's ffmpeg; CI does not set it, so CI stays fast and needs no ffmpeg.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { launchBrowser } from '../lib/browser.mjs';
import { startServe } from '../lib/gachi.mjs';

const OUT = process.env.REVIEW_KIT_DIR || join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'review');
const VIDEO = process.env.REVIEW_KIT_VIDEO;
const MINJI = 4000000001;
const SEOJUN = 4000000002;
const JIWOO = 4000000003;

// Everything that shows a person's name, picture or id is blurred: injected into every page
// before it paints, so every screenshot and every video frame is masked.
const MASK = `
  [data-me], .app-header .me, ul.users button, [data-friend] span, [data-recipient] span:first-of-type, [data-members] li span,
  [data-missing] strong, .talk-head strong, .talk-head small, .sender, img.avatar, ul.users img, [data-friend] img,
  .chat-label span, [data-sharer], [data-chat], .kakao-logo + h1 + p
  { filter: blur(7px) !important; }
`;

function maskEveryPage(css) {
  const add = () => {
    const style = document.createElement('style');
    style.setAttribute('data-review-mask', '');
    style.textContent = css;
    (document.head || document.documentElement).appendChild(style);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', add);
  else add();
}

let video = { mark: () => {}, stop: async () => null };

async function shot(page, name) {
  video.mark();
  // Every picture on screen has arrived (the share page's preview is drawn on request).
  await page.waitForFunction(() => [...document.images].every((img) => img.complete));
  const broken = await page.$$eval('img[data-share-preview]', (imgs) => imgs.filter((img) => img.naturalWidth === 0).length);
  assert.equal(broken, 0, `${name}: the share preview shows`);
  const path = join(OUT, name);
  await page.screenshot({ path, fullPage: false });
  const masked = await page.$$eval('[data-me], ul.users button, [data-friend] span, [data-friend] img, .sender, .chat-label span, .kakao-logo + h1 + p', (els) =>
    els.every((el) => getComputedStyle(el).filter.includes('blur')));
  assert.ok(masked, `${name}: personal data is masked`);
  assert.ok(statSync(path).size > 8000, `${name} was written`);
}

/** Records `page` through the DevTools protocol; `stop()` writes the video (or nothing without VIDEO). */
async function record(context, page) {
  if (!VIDEO) return { mark: () => {}, stop: async () => null };
  const frames = [];
  // Each screenshot's moment is held on screen for a reader (the run itself never waits).
  const held = new Set();
  const cdp = await context.newCDPSession(page);
  cdp.on('Page.screencastFrame', (f) => {
    frames.push({ data: f.data, at: f.metadata.timestamp });
    cdp.send('Page.screencastFrameAck', { sessionId: f.sessionId }).catch(() => {});
  });
  await cdp.send('Page.startScreencast', { format: 'jpeg', quality: 70, maxWidth: 390, maxHeight: 844 });
  return {
    mark: () => { if (frames.length) held.add(frames.length - 1); },
    stop: async () => {
      await cdp.send('Page.stopScreencast');
      const dir = mkdtempSync(join(tmpdir(), 'gachi-review-frames-'));
      // ffmpeg's concat list: each frame shown until the next one came (the screencast only
      // sends a frame when the screen changed), the last for two seconds.
      const lines = [];
      frames.forEach((f, i) => {
        const file = join(dir, `f${String(i).padStart(5, '0')}.jpg`);
        writeFileSync(file, Buffer.from(f.data, 'base64'));
        const next = frames[i + 1];
        const seconds = (next ? Math.min(Math.max(next.at - f.at, 0.04), 3) : 2) + (held.has(i) ? 2.5 : 0);
        lines.push(`file '${file}'`, `duration ${seconds.toFixed(3)}`);
      });
      lines.push(`file '${join(dir, `f${String(frames.length - 1).padStart(5, '0')}.jpg`)}'`);
      writeFileSync(join(dir, 'list.txt'), lines.join('\n'));
      execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-f', 'concat', '-safe', '0', '-i', join(dir, 'list.txt'),
        '-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2,fps=10', '-c:v', 'libx264', '-preset', 'veryslow', '-crf', '30',
        '-pix_fmt', 'yuv420p', '-movflags', '+faststart', VIDEO]);
      return { frames: frames.length, bytes: statSync(VIDEO).size };
    },
  };
}

test('the permission-review screenshots (and video): login, the share page, consent when sending, the message in the chat', async () => {
  mkdirSync(OUT, { recursive: true });
  const db = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-review-')), 'gachi.db')}`;
  const gachi = await startServe([], { GACHI_DATABASE_URL: db });
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await context.addInitScript(maskEveryPage, MASK);
    const page = await context.newPage();
    video = await record(context, page);

    // 1. Kakao Login (the sandbox's account picker stands in for Kakao's login screen).
    await page.goto(gachi.base);
    await page.click('[data-login]');
    await page.waitForSelector('ul.users');
    await shot(page, '01-kakao-login.png');
    await page.click('button:has-text("김민지")');
    await page.waitForURL(`${gachi.base}/`);

    // A room with an event, as a real owner would have.
    await page.fill('#name', '연말 모임');
    await page.click('[data-create-room] button[type=submit]');
    await page.waitForSelector('[data-room-name]');
    const room = new URL(page.url()).pathname.split('/')[2];
    await page.goto(`${gachi.base}/rooms/${room}/events/new?date=2026-12-24`);
    await page.fill('#title', '송년회');
    await page.fill('#location', '홍대입구역 9번 출구');
    await page.click('[data-save-event]');
    await page.waitForSelector('[data-calendar]');

    // 2. The share page opens at once: the next event's card, then where to send it; the
    // sentence under the friends says what Kakao will ask on the first send, and why.
    await page.click('[data-share-link]');
    await page.waitForSelector('[data-friends-form]');
    assert.equal(new URL(page.url()).pathname, `/rooms/${room}/share`, 'no consent screen on opening');
    await shot(page, '02-share-page.png');

    // 3. Choosing friends.
    const { users } = await (await fetch(`${gachi.base}/_kakao/_admin/users`)).json();
    const uuid = (id) => users.find((u) => u.id === id).uuid;
    await page.check(`[data-pick="${uuid(SEOJUN)}"]`);
    await page.check(`[data-pick="${uuid(JIWOO)}"]`);
    await page.locator('[data-send-friends]').scrollIntoViewIfNeeded();
    await shot(page, '03-choose-friends.png');

    // 4. Just-in-time consent for talk_message, on Kakao's consent screen, when sending.
    await Promise.all([page.waitForURL(/\/oauth\/authorize/), page.click('[data-send-friends]')]);
    await page.waitForSelector('li[data-scope="talk_message"]');
    assert.equal(new URL(page.url()).searchParams.get('scope'), 'openid,talk_message');
    await shot(page, '04-consent-talk-message.png');
    await page.click('button[value=agree]');

    // 5. Back on the same share, the send finishes: each friend's status.
    for (const id of [SEOJUN, JIWOO]) {
      await page.waitForSelector(`[data-recipient="${uuid(id)}"][data-status="sent"]`, { timeout: 20000 });
    }
    await page.locator('[data-share-status]').scrollIntoViewIfNeeded();
    await shot(page, '05-sent-status.png');

    // 6. The message in the recipient's KakaoTalk chat.
    const inbox = await (await fetch(`${gachi.base}/_kakao/_admin/inbox/${SEOJUN}`)).json();
    assert.equal(inbox.messages.length, 1, 'one card for 서준');
    assert.equal(inbox.messages[0].from, MINJI);
    await page.goto(`${gachi.base}/_kakao/_inbox/${SEOJUN}`);
    await page.waitForSelector('img');
    await page.waitForFunction(() => [...document.images].every((i) => i.complete));
    await shot(page, '06-message-in-chat.png');

    const made = await video.stop();
    if (made) {
      assert.ok(made.frames > 10, `the video has ${made.frames} frames`);
      assert.ok(made.bytes > 10000, `the video was written (${made.bytes} bytes)`);
    }
  } finally {
    await browser.close();
    gachi.stop();
  }
});
