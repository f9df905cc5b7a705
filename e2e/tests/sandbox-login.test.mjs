// Kakao Login through the sandbox's own pages in a real browser: picker, consent screen, and
// the redirect back with a code. Issue #2's "pages work in a browser".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../lib/browser.mjs';
import { startSandbox } from '../lib/gachi.mjs';

test('a person logs in through the sandbox picker and consent screen', async () => {
  const sandbox = await startSandbox();
  const context = await launch();
  try {
    // A fresh user, so the first consent screen appears.
    const user = await (await fetch(`${sandbox.base}/_admin/users`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nickname: '브라우저사람', member: true }),
    })).json();
    // The redirect target is the sandbox's own home page, so the browser lands somewhere real.
    const redirect = `${sandbox.base}/`;
    await fetch(`${sandbox.base}/_admin/app`, {
      method: 'PUT', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [redirect] }),
    });
    const page = await context.newPage();
    const url = `${sandbox.base}/oauth/authorize?client_id=${sandbox.app.rest_api_key}` +
      `&redirect_uri=${encodeURIComponent(redirect)}&response_type=code&state=e2e-state&scope=openid`;
    await page.goto(url);
    assert.match(await page.textContent('h1'), /카카오계정으로 로그인/);
    assert.ok(await page.isVisible('[data-sandbox-banner]'));
    await page.click(`button[data-user-id="${user.id}"]`);
    await page.waitForSelector('li[data-scope="profile_nickname"]');
    const items = await page.$$eval('li[data-scope]', (lis) => lis.map((li) => li.dataset.scope));
    assert.deepEqual(items, ['profile_nickname', 'profile_image']);
    await page.click('button[value="agree"]');
    await page.waitForURL(/code=/);
    const landed = new URL(page.url());
    assert.equal(landed.searchParams.get('state'), 'e2e-state');
    assert.ok(landed.searchParams.get('code').length > 20);
  } finally {
    await context.close();
    sandbox.stop();
  }
});
