// Gachi's one progressive script (docs/design-system.md). Every page works without it; with it:
// - a form marked `data-confirm` asks in a <dialog> first (base.html's #confirm-dialog) and only
//   then posts, with `confirm=yes` (without the script the server answers with a confirmation
//   page instead, so nothing destructive happens on one tap either way);
// - the toast (role=status) is announced and then fades;
// - the first field with an error gets the focus;
// - the event form: 종일 hides the times, the end follows the start (keeping the duration).
(function () {
  'use strict';

  // ---- Confirmations ----------------------------------------------------------------------
  var dialog = document.getElementById('confirm-dialog');
  var pending = null;

  function hidden(form, name, value) {
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-confirm')) return;
    if (!dialog || typeof dialog.showModal !== 'function') return; // the server asks instead
    e.preventDefault();
    var submitter = e.submitter || null;
    var pick = function (name) {
      return (submitter && submitter.getAttribute(name)) || form.getAttribute(name) || '';
    };
    dialog.querySelector('[data-confirm-title]').textContent = pick('data-confirm');
    var detail = pick('data-confirm-detail');
    var detailEl = dialog.querySelector('[data-confirm-detail]');
    detailEl.textContent = detail;
    detailEl.hidden = !detail;
    var ok = dialog.querySelector('[data-confirm-ok]');
    ok.textContent = pick('data-confirm-ok') || (submitter ? submitter.textContent.trim() : ok.textContent);
    ok.className = pick('data-confirm-tone') === 'primary' ? 'primary' : 'danger solid';
    pending = { form: form, submitter: submitter };
    dialog.returnValue = '';
    dialog.showModal();
  });

  if (dialog) {
    dialog.addEventListener('close', function () {
      var p = pending;
      pending = null;
      if (!p || dialog.returnValue !== 'ok') return;
      if (p.submitter && p.submitter.name) hidden(p.form, p.submitter.name, p.submitter.value);
      if (!p.form.querySelector('input[name=confirm]')) hidden(p.form, 'confirm', 'yes');
      HTMLFormElement.prototype.submit.call(p.form);
    });
  }

  // ---- The toast: set its text after load so screen readers announce it --------------------
  var toast = document.querySelector('[data-toast]');
  if (toast && toast.textContent.trim()) {
    var text = toast.textContent.trim();
    toast.textContent = '';
    setTimeout(function () { toast.textContent = text; }, 50);
  }

  // ---- Errors: the first invalid field gets the focus ---------------------------------------
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) {
    var details = invalid.closest('details');
    if (details) details.open = true;
    invalid.focus();
  }

  // ---- The event form ----------------------------------------------------------------------
  var form = document.querySelector('[data-event-form]');
  if (!form) return;
  var allDay = form.querySelector('#all_day');
  var date = form.querySelector('#date');
  var endDate = form.querySelector('#end_date');
  var start = form.querySelector('#start_time');
  var end = form.querySelector('#end_time');

  function showMode() {
    var on = allDay && allDay.checked;
    form.querySelectorAll('[data-timed-only]').forEach(function (el) { el.hidden = on; });
    form.querySelectorAll('[data-all-day-only]').forEach(function (el) { el.hidden = !on; });
    if (on && endDate && !endDate.value && date) endDate.value = date.value;
  }
  if (allDay) {
    allDay.addEventListener('change', showMode);
    showMode();
  }

  function minutes(v) {
    var m = /^(\d\d):(\d\d)/.exec(v || '');
    return m ? Number(m[1]) * 60 + Number(m[2]) : null;
  }
  function hhmm(total) {
    total = ((total % 1440) + 1440) % 1440;
    var h = Math.floor(total / 60), m = total % 60;
    return (h < 10 ? '0' : '') + h + ':' + (m < 10 ? '0' : '') + m;
  }
  function days(v) {
    var t = Date.parse((v || '') + 'T00:00:00Z');
    return isNaN(t) ? null : Math.round(t / 86400000);
  }
  function iso(d) {
    return new Date(d * 86400000).toISOString().slice(0, 10);
  }

  // The end keeps the distance it had from the start.
  if (start && end) {
    var lastStart = minutes(start.value);
    start.addEventListener('change', function () {
      var now = minutes(start.value), e = minutes(end.value);
      if (now !== null && lastStart !== null && e !== null) end.value = hhmm(e + (now - lastStart));
      lastStart = now;
    });
  }
  if (date && endDate) {
    var lastDate = days(date.value);
    date.addEventListener('change', function () {
      var now = days(date.value), e = days(endDate.value);
      if (now !== null && lastDate !== null && e !== null) endDate.value = iso(e + (now - lastDate));
      lastDate = now;
    });
  }
})();
