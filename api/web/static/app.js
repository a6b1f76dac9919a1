// The pages' only script (no inline script anywhere: the Content-Security-Policy forbids it).
// Everything works without it; it adds the print button, focus on error summaries, and the
// CSRF header on htmx requests.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest('[data-action="print"]');
    if (target) {
      event.preventDefault();
      window.print();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    // an error summary takes the focus, so a screen reader and a keyboard user start there
    var summary = document.querySelector("[data-autofocus]");
    if (summary) {
      summary.focus();
    }
  });
})();
