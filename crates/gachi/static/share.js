/*
 * Gachi's share page script (issues 7 and 17), served from our own origin because the CSP
 * allows no inline script. Progressive enhancement over the page's forms: search the friend
 * list, send through the JSON API, go to Kakao's consent screen when a send needs consent —
 * after the page has said so in one sentence — and finish that send on coming back (the picks
 * travel in the URL), share through Kakao Talk Share with the JavaScript SDK, copy the public
 * link, ask a missing friend for consent, and show each friend's status live, right under the
 * button that sent, by polling GET /api/v1/shares/{id} every second.
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

  // The sentence that says a send will ask Kakao for consent first (shown by the server when it
  // knew; shown here when Kakao says so only now, e.g. a consent revoked meanwhile).
  function consentNote(channel) {
    return document.querySelector('[data-consent-note="' + channel + '"]');
  }

  function askConsent(channel, url) {
    var note = consentNote(channel);
    if (note && !note.hidden) {
      // Already explained next to the button that was pressed: on to Kakao.
      window.location.assign(url);
      return;
    }
    if (!note) { window.location.assign(url); return; }
    note.textContent = app.getAttribute('data-text-consent-again');
    var go = document.createElement('a');
    go.className = 'button kakao-login';
    go.href = url;
    go.setAttribute('data-consent-go', '');
    go.textContent = app.getAttribute('data-text-consent-go');
    note.appendChild(document.createElement('br'));
    note.appendChild(go);
    note.hidden = false;
    go.focus();
  }

  function createShare(channel, uuids) {
    var body = picks();
    body.channel = channel;
    body.receiver_uuids = uuids || [];
    return api('POST', '/api/v1/rooms/' + encodeURIComponent(room) + '/shares', body).then(function (r) {
      if (r.status === 403 && r.json.error === 'consent_required' && r.json.consent_url) {
        askConsent(channel, r.json.consent_url);
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

  // The status goes right under the button that sent.
  function showProgressUnder(channel) {
    var progress = document.querySelector('[data-share-progress]');
    var form = document.querySelector(channel === 'memo' ? '[data-memo-form]' : '[data-friends-form]');
    var anchor = form && form.querySelector(channel === 'memo' ? '[data-send-memo]' : '[data-send-error]');
    if (progress && anchor && anchor.nextElementSibling !== progress) anchor.after(progress);
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
      st.textContent = statusLabel(r.status);
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

  function sendFriends() {
    var uuids = Array.prototype.map.call(friendsForm.querySelectorAll('input[name="to"]:checked'), function (i) { return i.value; });
    if (!uuids.length) { showError(app.getAttribute('data-text-pick')); return; }
    showProgressUnder('friends');
    createShare('friends', uuids).then(function (share) { if (share) { render(share); poll(share.id); } });
  }

  function sendMemo() {
    showProgressUnder('memo');
    createShare('memo', []).then(function (share) { if (share) { render(share); poll(share.id); } });
  }

  var friendsForm = document.querySelector('[data-friends-form]');
  if (friendsForm && friendsForm.querySelector('[data-send-friends]')) {
    friendsForm.addEventListener('submit', function (ev) {
      ev.preventDefault();
      sendFriends();
    });
  }

  var memoForm = document.querySelector('[data-memo-form]');
  if (memoForm) {
    memoForm.addEventListener('submit', function (ev) {
      ev.preventDefault();
      sendMemo();
    });
  }

  function copyText(text, status, copied, manual) {
    var done = function () { if (status) status.textContent = copied; };
    var fail = function () { if (status) status.textContent = manual; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fail);
    } else {
      fail();
    }
  }

  var copy = document.querySelector('[data-copy-link]');
  if (copy) {
    copy.addEventListener('click', function () {
      createShare('link', []).then(function (share) {
        if (!share) return;
        render(share);
        copyText(share.public_url, document.querySelector('[data-copy-status]'),
          app.getAttribute('data-text-copied'), app.getAttribute('data-text-copy-manual'));
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
        var status = document.querySelector('[data-talk-share-status]');
        if (status) status.textContent = app.getAttribute('data-text-talk-share-opened');
      });
    });
  }

  // "Ask the friend who is missing": the member's consent link, copied or sent through Talk
  // Share as a card of its own.
  document.querySelectorAll('[data-copy-ask]').forEach(function (button) {
    button.addEventListener('click', function () {
      var item = button.closest('[data-missing]');
      var status = item && item.querySelector('[data-ask-status]');
      var field = item && item.querySelector('[data-member-consent-link]');
      if (field) field.select();
      copyText(button.getAttribute('data-copy-ask'), status,
        app.getAttribute('data-text-ask-copied'), app.getAttribute('data-text-copy-manual'));
    });
  });
  document.querySelectorAll('[data-ask-talk-share]').forEach(function (button) {
    button.addEventListener('click', function () {
      var item = button.closest('[data-missing]');
      var field = item && item.querySelector('[data-member-consent-link]');
      if (!field || !window.Kakao) return;
      window.open('', 'sharer', 'width=480,height=700');
      if (!window.Kakao.isInitialized()) window.Kakao.init(app.getAttribute('data-js-key'));
      var url = field.value;
      window.Kakao.Share.sendDefault({
        objectType: 'text',
        text: app.getAttribute('data-text-ask-title') + '\n' + app.getAttribute('data-text-ask-description'),
        link: { webUrl: url, mobileWebUrl: url },
        buttonTitle: app.getAttribute('data-text-ask-button'),
      });
      var status = item.querySelector('[data-ask-status]');
      if (status) status.textContent = app.getAttribute('data-text-talk-share-opened');
    });
  });

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

  // The picker shows what the chosen picture needs: an event for a card, a date otherwise.
  var layoutSelect = document.querySelector('[data-layout-select]');
  function showPickerFields() {
    if (!layoutSelect) return;
    var card = layoutSelect.value === 'card';
    var eventField = document.querySelector('[data-event-field]');
    var dateField = document.querySelector('[data-date-field]');
    if (eventField) eventField.hidden = !card;
    if (dateField) dateField.hidden = card;
  }
  if (layoutSelect) {
    layoutSelect.addEventListener('change', showPickerFields);
    showPickerFields();
  }

  var current = app.getAttribute('data-share');
  if (current) poll(current);

  // Back from Kakao's consent screen for a send the person started: finish it, once. The mark
  // leaves the address first, so reloading or going back never sends again.
  var resume = app.getAttribute('data-resume-send');
  if (resume) {
    var here = new URL(window.location.href);
    here.searchParams.delete('send');
    window.history.replaceState(null, '', here.pathname + here.search + here.hash);
    if (resume === 'friends' && friendsForm) sendFriends();
    if (resume === 'memo' && memoForm) sendMemo();
  }
})();
