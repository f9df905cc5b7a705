/*
 * Gachi's "send this link" buttons (the invite screen and the room's calendar feed), served
 * from our origin because the CSP allows no inline script. Every button is progressive: without
 * this script the link is still on the page to long-press.
 * - [data-copy="text"] copies with the Clipboard API, or, where an in-app browser has none or
 *   refuses, through a selected text field and execCommand; the toast (role="status") says it
 *   worked, or how to copy by hand.
 * - [data-system-share] (hidden until navigator.share exists) opens the phone's share sheet.
 * - [data-kakao-invite] sends the invitation card with Kakao Talk Share (Kakao's JavaScript SDK,
 *   or the sandbox's stand-in).
 */
(function () {
  'use strict';

  // The answer goes where every answer goes: the page's one toast (base.html, role="status").
  function say(text) {
    var toast = document.querySelector('[data-toast]');
    if (!toast) return;
    // Emptied first (an empty toast is not displayed), so the same words twice are shown and
    // announced twice, each time with the toast's full fade.
    toast.textContent = '';
    window.setTimeout(function () { toast.textContent = text; }, 30);
  }

  function copyByHand(text) {
    var field = document.createElement('textarea');
    field.value = text;
    field.setAttribute('readonly', '');
    field.style.position = 'fixed';
    field.style.top = '0';
    field.style.opacity = '0';
    document.body.appendChild(field);
    field.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(field);
    return ok;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyByHand(text); }
      );
    }
    return Promise.resolve(copyByHand(text));
  }

  document.querySelectorAll('[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      var text = button.getAttribute('data-copy');
      copy(text).then(function (ok) {
        say(button.getAttribute(ok ? 'data-copied' : 'data-copy-failed') || '');
      });
    });
  });

  document.querySelectorAll('[data-system-share]').forEach(function (button) {
    if (typeof navigator.share !== 'function') return;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.share({
        title: button.getAttribute('data-share-title') || document.title,
        text: button.getAttribute('data-share-text') || '',
        url: button.getAttribute('data-share-url'),
      }).catch(function () { /* the person closed the sheet */ });
    });
  });

  document.querySelectorAll('[data-kakao-invite]').forEach(function (button) {
    button.addEventListener('click', function () {
      if (!window.Kakao) return;
      if (!window.Kakao.isInitialized()) window.Kakao.init(button.getAttribute('data-js-key'));
      window.Kakao.Share.sendDefault(JSON.parse(button.getAttribute('data-talk-share')));
    });
  });
})();
