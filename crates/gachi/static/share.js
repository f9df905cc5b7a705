/*
 * Gachi's share page script (issue 7), served from our own origin because the CSP allows no
 * inline script. Progressive enhancement over the page's forms: search the friend list, send
 * through the JSON API, follow Kakao's consent screen when the API asks for consent (the picks
 * travel in the URL), share through Kakao Talk Share with the JavaScript SDK, copy the public
 * link, and show each friend's status live by polling GET /api/v1/shares/{id} every second.
 */
(function () {
  'use strict';
  var app = document.getElementById('share-app');
  if (!app) return;
  var room = app.getAttribute('data-room');
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';
  var pollTimer = null;

  function picks() {
    return {
      layout: app.getAttribute('data-layout'),
      event_id: app.getAttribute('data-event') || undefined,
      date: app.getAttribute('data-date') || undefined,
    };
  }

  function api(method, path, body) {
    return fetch(path, {
      method: method,
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (json) {
        return { status: resp.status, json: json };
      });
    });
  }

  function showError(text) {
    var el = document.querySelector('[data-send-error]');
    if (el) el.textContent = text || '';
  }

  function createShare(channel, uuids) {
    var body = picks();
    body.channel = channel;
    body.receiver_uuids = uuids || [];
    return api('POST', '/api/v1/rooms/' + encodeURIComponent(room) + '/shares', body).then(function (r) {
      if (r.status === 403 && r.json.error === 'consent_required' && r.json.consent_url) {
        window.location.assign(r.json.consent_url);
        return null;
      }
      if (r.status !== 201) {
        var fields = r.json.fields ? Object.values(r.json.fields).join(' ') : '';
        showError((r.json.message || 'error') + (fields ? ' ' + fields : ''));
        return null;
      }
      showError('');
      return r.json;
    });
  }

  function statusLabel(status) {
    return app.getAttribute('data-status-' + status) || status;
  }

  function render(share) {
    var list = document.querySelector('[data-share-status]');
    var link = document.querySelector('[data-public-link]');
    if (link && share.public_url) link.textContent = share.public_url;
    if (!list) return;
    var picked = {};
    list.querySelectorAll('input[data-resend]:checked').forEach(function (i) { picked[i.getAttribute('data-resend')] = true; });
    list.textContent = '';
    var anyResendable = false;
    var anyWaiting = false;
    (share.recipients || []).forEach(function (r) {
      var li = document.createElement('li');
      li.setAttribute('data-recipient', r.uuid);
      li.setAttribute('data-status', r.status);
      if (r.resendable) {
        // Unchecked by default: an unknown message may have arrived; the owner decides.
        anyResendable = true;
        var box = document.createElement('input');
        box.type = 'checkbox';
        box.setAttribute('data-resend', r.uuid);
        box.setAttribute('aria-label', (app.getAttribute('data-text-resend') || '') + ': ' + r.nickname);
        box.checked = !!picked[r.uuid];
        li.appendChild(box);
      }
      if (r.status === 'queued' || r.status === 'deferred' || r.status === 'needs_consent') anyWaiting = true;
      var name = document.createElement('span');
      name.textContent = r.nickname;
      var st = document.createElement('span');
      st.textContent = statusLabel(r.status) + (r.reason ? ' (' + r.reason + ')' : '');
      li.appendChild(name);
      li.appendChild(st);
      if (r.message) {
        var msg = document.createElement('small');
        msg.className = 'muted';
        msg.setAttribute('data-reason-message', '');
        msg.textContent = r.message;
        li.appendChild(msg);
      }
      list.appendChild(li);
    });
    var resend = document.querySelector('[data-resend-selected]');
    if (resend) resend.hidden = !anyResendable;
    var cancel = document.querySelector('[data-cancel-share]');
    if (cancel) cancel.hidden = !anyWaiting;
    var consent = document.querySelector('[data-share-consent]');
    if (consent) {
      consent.textContent = '';
      if (share.consent_url) {
        var a = document.createElement('a');
        a.href = share.consent_url;
        a.className = 'button';
        a.setAttribute('data-share-consent-link', '');
        a.textContent = statusLabel('needs_consent');
        consent.appendChild(a);
      }
    }
  }

  function poll(id) {
    if (pollTimer) clearTimeout(pollTimer);
    app.setAttribute('data-share', id);
    api('GET', '/api/v1/shares/' + encodeURIComponent(id)).then(function (r) {
      if (r.status !== 200) return;
      render(r.json);
      var busy = (r.json.recipients || []).some(function (x) { return x.status === 'queued' || x.status === 'sending'; });
      if (busy) pollTimer = setTimeout(function () { poll(id); }, 1000);
    });
  }

  // Friend search by nickname.
  var search = document.querySelector('[data-friend-search]');
  if (search) {
    search.addEventListener('input', function () {
      var q = search.value.trim().toLowerCase();
      document.querySelectorAll('[data-friend]').forEach(function (li) {
        var name = (li.getAttribute('data-nickname') || '').toLowerCase();
        li.style.display = !q || name.indexOf(q) >= 0 ? '' : 'none';
      });
    });
  }

  var friendsForm = document.querySelector('[data-friends-form]');
  if (friendsForm) {
    friendsForm.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var uuids = Array.prototype.map.call(friendsForm.querySelectorAll('input[name="to"]:checked'), function (i) { return i.value; });
      if (!uuids.length) { showError(app.getAttribute('data-text-pick')); return; }
      createShare('friends', uuids).then(function (share) { if (share) { render(share); poll(share.id); } });
    });
  }

  var memoForm = document.querySelector('[data-memo-form]');
  if (memoForm) {
    memoForm.addEventListener('submit', function (ev) {
      ev.preventDefault();
      createShare('memo', []).then(function (share) { if (share) { render(share); poll(share.id); } });
    });
  }

  var copy = document.querySelector('[data-copy-link]');
  if (copy) {
    copy.addEventListener('click', function () {
      createShare('link', []).then(function (share) {
        if (!share) return;
        render(share);
        if (navigator.clipboard) navigator.clipboard.writeText(share.public_url).catch(function () {});
        copy.textContent = app.getAttribute('data-text-copied');
      });
    });
  }

  var talk = document.querySelector('[data-talk-share]');
  if (talk) {
    talk.addEventListener('click', function () {
      // Opened inside the click, as Kakao's SDK does, so popup blockers let it through.
      window.open('', 'sharer', 'width=480,height=700');
      createShare('talk_share', []).then(function (share) {
        if (!share || !share.talk_share || !window.Kakao) return;
        if (!window.Kakao.isInitialized()) window.Kakao.init(app.getAttribute('data-js-key'));
        window.Kakao.Share.sendDefault(share.talk_share);
        render(share);
      });
    });
  }

  // Resend the picked unknown or failed receivers; cancel what has not gone.
  function shareAction(path, body) {
    var id = app.getAttribute('data-share');
    if (!id) return;
    api('POST', '/api/v1/shares/' + encodeURIComponent(id) + path, body).then(function (r) {
      if (r.status !== 200) { showError(r.json.message || 'error'); return; }
      render(r.json);
      poll(id);
    });
  }

  var resendButton = document.querySelector('[data-resend-selected]');
  if (resendButton) {
    resendButton.addEventListener('click', function () {
      var uuids = Array.prototype.map.call(document.querySelectorAll('[data-share-status] input[data-resend]:checked'), function (i) {
        return i.getAttribute('data-resend');
      });
      if (!uuids.length) return;
      shareAction('/resend', { uuids: uuids });
    });
  }

  var cancelButton = document.querySelector('[data-cancel-share]');
  if (cancelButton) {
    cancelButton.addEventListener('click', function () { shareAction('/cancel', {}); });
  }

  // A card needs its event: said next to the event picker before the page is asked for a
  // picture it cannot make (the server says the same without script).
  var layoutForm = document.querySelector('[data-layout-form]');
  var eventSelect = document.querySelector('[data-event-select]');
  var eventError = document.querySelector('[data-field-error="event"]');
  function setEventError(on) {
    if (!eventSelect || !eventError) return;
    eventError.textContent = on ? eventError.getAttribute('data-text') : '';
    eventError.hidden = !on;
    if (on) {
      eventSelect.setAttribute('aria-invalid', 'true');
      eventSelect.setAttribute('aria-describedby', eventError.id);
    } else {
      eventSelect.removeAttribute('aria-invalid');
      eventSelect.removeAttribute('aria-describedby');
    }
  }
  if (layoutForm && eventSelect) {
    layoutForm.addEventListener('submit', function (ev) {
      var layout = layoutForm.querySelector('[data-layout-select]');
      if (layout && layout.value === 'card' && !eventSelect.value) {
        ev.preventDefault();
        setEventError(true);
        eventSelect.focus();
      }
    });
    eventSelect.addEventListener('change', function () { if (eventSelect.value) setEventError(false); });
  }

  var current = app.getAttribute('data-share');
  if (current) poll(current);
})();
