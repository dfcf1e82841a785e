// The comment form's only script (optional: without it the server asks for one confirmation). Article
// pages are cached and the same for everyone, so they carry no form token; when a reader starts on the
// form, this asks the server for a token of their own, and the minimum time before posting counts from
// that request (decision 0014).
'use strict';

function fetchToken(form, field, article) {
  return fetch('/comments/token?article=' + encodeURIComponent(article.value), { credentials: 'same-origin', cache: 'no-store' })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (answer) {
      if (answer && typeof answer.token === 'string' && field.value === '') field.value = answer.token;
      return field.value !== '';
    })
    .catch(function () {
      return false;
    });
}

function prepare(form) {
  var field = form.querySelector('input[name="token"]');
  var article = form.querySelector('input[name="article_id"]');
  // A private page (a refusal) already carries a token of its own.
  if (!field || !article || field.value !== '') return;
  var asked = null;
  function ask() {
    if (asked === null) {
      asked = fetchToken(form, field, article).then(function (ok) {
        if (!ok) asked = null;
        return ok;
      });
    }
    return asked;
  }
  form.addEventListener('focusin', ask);
  form.addEventListener('input', ask);
}

document.querySelectorAll('form.comment-form').forEach(prepare);
