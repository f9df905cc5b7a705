// Kakao's friends/message permission review asks for screenshots of the working flow — login,
// choosing friends, the sent message in the recipient's chat — with personal data masked
// (issue #9, part 2). This run makes them in sandbox mode on a phone-sized screen and saves
// them to e2e/out/review/ (or REVIEW_KIT_DIR); docs/kakao-review.md shows a committed set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../lib/browser.mjs';
import { startServe } from '../lib/gachi.mjs';

const OUT = process.env.REVIEW_KIT_DIR || join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'review');
const SEOJUN = 4000000002;
const JIWOO = 4000000003;

// Everything that shows a person's name, picture or id is blurred before a screenshot.
const MASK = `
  [data-me], ul.users button, [data-friend] span, [data-recipient] span:first-child, [data-members] li span,
  .talk-head strong, .talk-head small, .sender, img.avatar, ul.users img, [data-friend] img, .chat-label span
  { filter: blur(7px) !important; }
`;

async function shot(page, name) {
  await page.addStyleTag({ content: MASK });
  const path = join(OUT, name);
  await page.screenshot({ path, fullPage: false });
  const masked = await page.$$eval('[data-me], ul.users button, [data-friend] span, [data-friend] img, .sender, .chat-label span', (els) =>
    els.every((el) => getComputedStyle(el).filter.includes('blur')));
  assert.ok(masked, `${name}: personal data is masked`);
  assert.ok(statSync(path).size > 8000, `${name} was written`);
}

test('the permission-review screenshots: login, choosing friends, the message in the chat', async () => {
  mkdirSync(OUT, { recursive: true });
  const db = `sqlite://${join(mkdtempSync(join(tmpdir(), 'gachi-review-')), 'gachi.db')}`;
  const gachi = await startServe([], { GACHI_DATABASE_URL: db });
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const page = await context.newPage();

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

    // 2. Just-in-time consent for talk_message, on Kakao's consent screen.
    await page.goto(`${gachi.base}/rooms/${room}/share?layout=month&date=2026-12`);
    await page.waitForSelector('li[data-scope="talk_message"]');
    await shot(page, '02-consent-talk-message.png');
    await page.click('button[value=agree]');
    await page.waitForSelector('[data-friend]');

    // 3. Choosing friends.
    const { users } = await (await fetch(`${gachi.base}/_kakao/_admin/users`)).json();
    const uuid = (id) => users.find((u) => u.id === id).uuid;
    await page.check(`[data-pick="${uuid(SEOJUN)}"]`);
    await page.check(`[data-pick="${uuid(JIWOO)}"]`);
    await page.locator('[data-send-friends]').scrollIntoViewIfNeeded();
    await shot(page, '03-choose-friends.png');
    await page.click('[data-send-friends]');
    for (const id of [SEOJUN, JIWOO]) {
      await page.waitForSelector(`[data-recipient="${uuid(id)}"][data-status="sent"]`, { timeout: 20000 });
    }
    await page.locator('[data-recipient]').first().scrollIntoViewIfNeeded();
    await shot(page, '04-sent-status.png');

    // 4. The message in the recipient's KakaoTalk chat.
    const friend = await (await browser.newContext({ locale: 'ko-KR', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 })).newPage();
    await friend.goto(`${gachi.base}/_kakao/_inbox/${SEOJUN}`);
    await friend.waitForSelector('img');
    await friend.waitForFunction(() => [...document.images].every((i) => i.complete));
    await shot(friend, '05-message-in-chat.png');
  } finally {
    await browser.close();
    gachi.stop();
  }
});
