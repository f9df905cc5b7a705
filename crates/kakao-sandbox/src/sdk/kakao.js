/*
 * Kakao JavaScript SDK stand-in, served by the Gachi Kakao sandbox (not Kakao's code).
 *
 * Why it exists: Kakao Talk Share runs in the browser through Kakao's SDK, which talks to
 * sharer.kakao.com. This script offers the same surface (Kakao.init, isInitialized, cleanup,
 * Kakao.Share.sendDefault / sendCustom / createDefaultButton / uploadImage) with the SDK's own
 * validation errors, and sends the share to the sandbox's picker page in a popup, as the real
 * SDK does on PC. The sandbox's base URL is taken from this script's own src.
 */
(function (root) {
  'use strict';

  var script = document.currentScript;
  var BASE = script ? script.src.replace(/\/_sdk\/kakao(?:\.min)?\.js(?:[?#].*)?$/, '') : '';
  var VERSION = '2.7.2-sandbox';

  function KakaoError(message) {
    var e = new Error(message);
    e.name = 'KakaoError';
    Object.setPrototypeOf(e, KakaoError.prototype);
    return e;
  }
  KakaoError.prototype = Object.create(Error.prototype);
  KakaoError.prototype.constructor = KakaoError;

  var appKey = null;
  var OBJECT_TYPES = ['feed', 'list', 'location', 'commerce', 'text', 'calendar'];
  var LINK_KEYS = ['webUrl', 'mobileWebUrl', 'androidExecutionParams', 'iosExecutionParams'];
  var COMMON_OPTIONAL = ['installTalk', 'throughTalk', 'extras', 'serverCallbackArgs', 'callback', 'shareType', 'limit'];
  var RULES = {
    feed: { required: ['content'], optional: ['itemContent', 'social', 'buttonTitle', 'buttons'] },
    list: { required: ['headerTitle', 'headerLink', 'contents'], optional: ['buttonTitle', 'buttons'] },
    location: { required: ['content', 'address'], optional: ['addressTitle', 'social', 'buttonTitle', 'buttons'] },
    commerce: { required: ['content', 'commerce'], optional: ['buttonTitle', 'buttons'] },
    text: { required: ['text', 'link'], optional: ['buttonTitle', 'buttons'] },
    calendar: { required: ['idType', 'id', 'content'], optional: ['buttons'] },
  };
  var MAX_PAYLOAD = 10000;

  function isObject(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }

  function requireInit() {
    if (!appKey) throw KakaoError('Kakao.init: SDK is not initialized. Call Kakao.init(appKey) first.');
  }

  function checkKeys(params, required, optional, where) {
    var missing = required.filter(function (k) { return !(k in params); });
    if (missing.length) throw KakaoError('Missing required keys: ' + missing.join(',') + ' at ' + where);
    var allowed = ['objectType', 'templateId', 'templateArgs', 'container'].concat(required, optional, COMMON_OPTIONAL);
    var invalid = Object.keys(params).filter(function (k) { return allowed.indexOf(k) < 0; });
    if (invalid.length) throw KakaoError('Invalid parameter keys: ' + invalid.join(',') + ' at ' + where);
  }

  function checkLink(link, name, where) {
    var ok = isObject(link) && LINK_KEYS.some(function (k) { return typeof link[k] === 'string' && link[k] !== ''; });
    if (!ok) throw KakaoError('Illegal argument for "' + name + '" in ' + where + ': a link needs one of ' + LINK_KEYS.join(', '));
  }

  function checkContent(content, name, where) {
    if (!isObject(content)) throw KakaoError('Illegal argument for "' + name + '" in ' + where);
    var missing = ['title', 'imageUrl', 'link'].filter(function (k) { return !(k in content); });
    if (missing.length) throw KakaoError('Missing required keys: ' + missing.join(',') + ' at "' + name + '" in ' + where);
    checkLink(content.link, name + '.link', where);
  }

  function checkButtons(buttons, max, where) {
    if (!Array.isArray(buttons)) throw KakaoError('Illegal argument for "buttons" in ' + where);
    if (buttons.length > max) throw KakaoError('Illegal argument for "buttons" in ' + where + ': size of buttons should be up to ' + max);
    buttons.forEach(function (b, i) {
      if (!isObject(b) || typeof b.title !== 'string') throw KakaoError('Missing required keys: title at "buttons[' + i + ']" in ' + where);
      checkLink(b.link, 'buttons[' + i + '].link', where);
    });
  }

  function snake(key) { return key.replace(/[A-Z]/g, function (c) { return '_' + c.toLowerCase(); }); }

  function toSnake(v) {
    if (Array.isArray(v)) return v.map(toSnake);
    if (isObject(v)) {
      var out = {};
      Object.keys(v).forEach(function (k) { out[snake(k)] = toSnake(v[k]); });
      return out;
    }
    return v;
  }

  function templateObject(settings) {
    var t = { object_type: settings.objectType };
    Object.keys(settings).forEach(function (k) {
      if (k === 'objectType' || k === 'container' || COMMON_OPTIONAL.indexOf(k) >= 0) return;
      t[snake(k)] = toSnake(settings[k]);
    });
    return t;
  }

  function stringifyCallbackArgs(args, where) {
    if (args === undefined || args === null) return undefined;
    if (typeof args === 'string') {
      try { JSON.parse(args); } catch (e) { throw KakaoError('Illegal argument for "serverCallbackArgs" in ' + where + ': not a JSON string'); }
      return args;
    }
    if (isObject(args)) return JSON.stringify(args);
    throw KakaoError('Illegal argument for "serverCallbackArgs" in ' + where);
  }

  var popups = {};

  function submitWithPopup(params) {
    var name = 'sharer';
    if (popups[name] && !popups[name].closed) popups[name].close();
    var w = 480, h = 700;
    var left = (screen.width - w) / 2, top = (screen.height - h) / 2;
    popups[name] = window.open('', name, 'width=' + w + ',height=' + h + ',left=' + left + ',top=' + top + ',scrollbars=yes,resizable=1');
    var form = document.createElement('form');
    form.method = 'POST';
    form.action = BASE + '/_sandbox/share/picker';
    form.target = name;
    form.acceptCharset = 'utf-8';
    form.style.display = 'none';
    Object.keys(params).forEach(function (k) {
      if (params[k] === undefined) return;
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = k;
      input.value = params[k];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
    document.body.removeChild(form);
    return popups[name];
  }

  function send(action, validationParams, settings, where) {
    var params = {
      app_key: appKey,
      ka: 'sdk/' + VERSION + ' os/javascript lang/' + (navigator.language || 'ko') + ' origin/' + encodeURIComponent(location.origin),
      validation_action: action,
      validation_params: JSON.stringify(validationParams),
      lcba: stringifyCallbackArgs(settings.serverCallbackArgs, where),
    };
    if (encodeURIComponent(params.validation_params).length > MAX_PAYLOAD) {
      throw KakaoError('Failed to send message because it exceeds the message size limit. Please contact the app administrator.');
    }
    return submitWithPopup(params);
  }

  function sendDefault(settings) {
    requireInit();
    var where = 'Share.sendDefault';
    if (!isObject(settings)) throw KakaoError('params should be an Object');
    if (!settings.objectType || OBJECT_TYPES.indexOf(settings.objectType) < 0) {
      throw KakaoError('objectType should be one of (' + OBJECT_TYPES.join(', ') + ')');
    }
    var rule = RULES[settings.objectType];
    checkKeys(settings, rule.required, rule.optional, where);
    if (settings.content !== undefined) checkContent(settings.content, 'content', where);
    if (settings.objectType === 'list') {
      if (!Array.isArray(settings.contents) || settings.contents.length < 2 || settings.contents.length > 3) {
        throw KakaoError('Illegal argument for "contents" in ' + where + ': size of contents should be 2 to 3');
      }
      settings.contents.forEach(function (c, i) { checkContent(c, 'contents[' + i + ']', where); });
      checkLink(settings.headerLink, 'headerLink', where);
    }
    if (settings.objectType === 'text') checkLink(settings.link, 'link', where);
    if (settings.buttons !== undefined) checkButtons(settings.buttons, settings.objectType === 'calendar' ? 1 : 2, where);
    return send('default', { link_ver: '4.0', template_object: templateObject(settings) }, settings, where);
  }

  function sendCustom(settings) {
    requireInit();
    var where = 'Share.sendCustom';
    if (!isObject(settings)) throw KakaoError('params should be an Object');
    checkKeys(settings, ['templateId'], ['templateArgs'], where);
    if (typeof settings.templateId !== 'number') throw KakaoError('Illegal argument for "templateId" in ' + where);
    var validation = { link_ver: '4.0', template_id: settings.templateId };
    if (settings.templateArgs !== undefined) validation.template_args = settings.templateArgs;
    return send('custom', validation, settings, where);
  }

  function createDefaultButton(settings) {
    requireInit();
    var container = settings && settings.container;
    var el = typeof container === 'string' ? document.querySelector(container) : container;
    if (!el) throw KakaoError('container is required for Share.createDefaultButton');
    var rest = {};
    Object.keys(settings).forEach(function (k) { if (k !== 'container') rest[k] = settings[k]; });
    el.addEventListener('click', function () { sendDefault(rest); });
  }

  function uploadImage(settings) {
    requireInit();
    var files = settings && settings.file;
    if (!files || !files.length) return Promise.reject(KakaoError('Missing required keys: file at Share.uploadImage'));
    var body = new FormData();
    for (var i = 0; i < files.length; i++) body.append('file', files[i]);
    return fetch(BASE + '/v2/api/talk/message/image/upload', {
      method: 'POST',
      headers: { Authorization: 'KakaoAK ' + appKey },
      body: body,
    }).then(function (resp) {
      return resp.json().then(function (json) { return resp.ok ? json : Promise.reject(json); });
    });
  }

  var Share = {
    sendDefault: sendDefault,
    sendCustom: sendCustom,
    createDefaultButton: createDefaultButton,
    uploadImage: uploadImage,
    cleanup: function () {},
  };

  var Kakao = root.Kakao || {};
  Kakao.VERSION = VERSION;
  Kakao.KakaoError = KakaoError;
  Kakao.init = function (key) {
    if (appKey) throw KakaoError('Kakao.init: Already initialized');
    if (typeof key !== 'string' || key === '') throw KakaoError('Kakao.init: App key must be provided');
    appKey = key;
    Kakao.Share = Share;
  };
  Kakao.isInitialized = function () { return appKey !== null; };
  Kakao.cleanup = function () { appKey = null; delete Kakao.Share; };
  root.Kakao = Kakao;
})(window);
