// Issue #21: an unmodified published Kakao client library logs in and reads the profile
// against `gachi sandbox`. npm `passport-kakao` is the most used Node Kakao login strategy; its
// `userProfile` sends the access token the way node-oauth does by default, as
// `GET /v2/user/me?access_token=…`, which Kakao accepts and the sandbox must too.
//
// passport-kakao hard-codes Kakao's hosts, so the test points the strategy's three URLs at the
// sandbox (the only change: host names) and then drives the strategy exactly as passport does,
// through its public `authenticate(req, options)` with passport's action hooks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import passportKakao from 'passport-kakao';
import { startSandbox } from '../lib/gachi.mjs';

const { Strategy: KakaoStrategy } = passportKakao;

/** Runs one step of the strategy (what passport.authenticate does for a request). */
function step(strategy, req) {
  return new Promise((resolve, reject) => {
    strategy.redirect = (url) => resolve({ redirect: url });
    strategy.success = (user, info) => resolve({ user, info });
    strategy.fail = (challenge, status) => reject(new Error(`fail ${status}: ${JSON.stringify(challenge)}`));
    strategy.error = (err) => reject(err);
    strategy.authenticate(req, {});
  });
}

async function admin(base, path, body, method = 'POST') {
  const resp = await fetch(`${base}${path}`, {
    method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.ok(resp.ok, `${method} ${path}: ${resp.status}`);
  return resp;
}

test('passport-kakao logs in and loads the profile against gachi sandbox unchanged', async () => {
  const sandbox = await startSandbox();
  try {
    const callbackURL = 'http://127.0.0.1:3000/auth/kakao/callback';
    await admin(sandbox.base, '/_admin/app', { redirect_uris: [callbackURL] }, 'PUT');
    // A Kakao account that already agreed to the app's profile items, logged in in "the browser".
    const user = await (await admin(sandbox.base, '/_admin/users', { nickname: '패스포트', member: true })).json();
    await admin(sandbox.base, '/_admin/consent', { user_id: user.id, scopes: ['profile_nickname', 'profile_image'] });
    const session = await admin(sandbox.base, '/_admin/session', { user_id: user.id });
    const cookie = session.headers.get('set-cookie').split(';')[0];

    let tokens;
    const strategy = new KakaoStrategy(
      { clientID: sandbox.app.rest_api_key, clientSecret: sandbox.app.client_secret, callbackURL },
      (accessToken, refreshToken, profile, done) => { tokens = { accessToken, refreshToken }; done(null, profile); },
    );
    // Kakao's hosts → the sandbox: nothing else of the library changes.
    strategy._oauth2._authorizeUrl = `${sandbox.base}/oauth/authorize`;
    strategy._oauth2._accessTokenUrl = `${sandbox.base}/oauth/token`;
    strategy._userProfileURL = `${sandbox.base}/v2/user/me`;

    // 1. The library builds the authorize URL; the browser follows it and Kakao redirects back.
    const { redirect } = await step(strategy, { query: {} });
    const authorize = new URL(redirect);
    assert.equal(authorize.searchParams.get('client_id'), sandbox.app.rest_api_key);
    assert.equal(authorize.searchParams.get('response_type'), 'code');
    const back = await fetch(redirect, { redirect: 'manual', headers: { cookie } });
    assert.equal(back.status, 302);
    const landed = new URL(back.headers.get('location'));
    assert.equal(`${landed.origin}${landed.pathname}`, callbackURL);
    const code = landed.searchParams.get('code');
    assert.ok(code, `no code in ${landed}`);

    // 2. The callback: the library exchanges the code and loads the profile with its own code
    //    (node-oauth's GET with ?access_token=…), then hands it to the verify callback.
    const { user: profile } = await step(strategy, { query: { code } });
    assert.equal(profile.provider, 'kakao');
    assert.equal(profile.id, user.id);
    assert.equal(profile.username, '패스포트');
    assert.equal(profile.displayName, '패스포트');
    assert.equal(profile._json.kakao_account.profile.nickname, '패스포트');
    assert.match(profile._json.kakao_account.profile.thumbnail_image_url, /\/img_110x110\.jpg$/);
    assert.ok(tokens.accessToken && tokens.refreshToken);

    // What the library did is what Kakao accepts: the token as a query parameter.
    const viaQuery = await fetch(`${sandbox.base}/v2/user/me?access_token=${encodeURIComponent(tokens.accessToken)}`);
    assert.equal(viaQuery.status, 200);
  } finally {
    sandbox.stop();
  }
});
