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

  // --- the application page: uploads with a progress bar, and live updates ----------------

  var uploading = 0;

  // the live part is not swapped while the person is busy in it: an upload running, a file
  // chosen but not sent, or the focus in one of its forms (nothing they did is thrown away)
  function busy() {
    var inner = document.getElementById("live-inner");
    if (!inner) {
      return false;
    }
    if (uploading > 0) {
      return true;
    }
    var inputs = inner.querySelectorAll('input[type="file"]');
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].files && inputs[i].files.length > 0) {
        return true;
      }
    }
    var active = document.activeElement;
    return !!(active && active.form && inner.contains(active) && active.tagName !== "BUTTON");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt && event.detail.elt.id === "live-inner" && busy()) {
      event.preventDefault();
    }
  });

  // an answer that arrives after the person started something is dropped too
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "live-inner" && busy()) {
      event.detail.shouldSwap = false;
    }
  });

  function refreshLive() {
    var live = document.getElementById("live");
    var inner = document.getElementById("live-inner");
    if (!live || !inner || !window.htmx || busy()) {
      return;
    }
    window.htmx.ajax("GET", live.getAttribute("data-live"), {
      target: "#live-inner",
      swap: "outerHTML",
      headers: { "X-Paoyici-Background": "1" },
    });
  }

  function uploadOne(form, file, done) {
    var data = new FormData();
    data.append("csrf_token", form.querySelector('input[name="csrf_token"]').value);
    data.append("slot", form.querySelector('input[name="slot"]').value);
    var replaces = form.querySelector('input[name="replaces"]');
    if (replaces) {
      data.append("replaces", replaces.value);
    }
    data.append("files", file, file.name);
    var bar = form.querySelector("progress");
    var message = form.querySelector(".upload-message");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action"));
    xhr.setRequestHeader("X-Paoyici-Upload", "1");
    xhr.setRequestHeader("X-CSRF-Token", csrfToken());
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        var pct = Math.round((e.loaded / e.total) * 100);
        bar.value = pct;
        bar.textContent = pct + "%";
        message.textContent = "正在上传“" + file.name + "”：" + pct + "%";
      }
    });
    xhr.addEventListener("load", function () {
      if (xhr.status >= 200 && xhr.status < 300) {
        message.classList.remove("is-error");
        message.textContent = "“" + file.name + "”已上传，正在识别…";
        done(true);
      } else {
        message.classList.add("is-error");
        var text = xhr.responseText || "请重试";
        if (text.charAt(0) === "{") {
          try { text = JSON.parse(text).message || text; } catch (e) { /* keep the text */ }
        }
        message.textContent = "“" + file.name + "”没有上传成功：" + text;
        done(false);
      }
    });
    xhr.addEventListener("error", function () {
      message.classList.add("is-error");
      message.textContent = "网络中断，“" + file.name + "”没有上传成功，请重试";
      done(false);
    });
    bar.hidden = false;
    uploading += 1;
    xhr.addEventListener("loadend", function () { uploading -= 1; });
    xhr.send(data);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-upload") || !window.FormData || !window.XMLHttpRequest) {
      return; // an ordinary form post; the server answers with the page again
    }
    var input = form.querySelector('input[type="file"]');
    var files = Array.prototype.slice.call(input.files || []);
    if (files.length === 0) {
      return; // let the server say that no file was chosen
    }
    event.preventDefault();
    var failed = false;
    (function next(i) {
      if (i >= files.length) {
        input.value = "";
        if (!failed) {
          setTimeout(refreshLive, 0); // after the last upload's loadend
        }
        return;
      }
      uploadOne(form, files[i], function (ok) {
        failed = failed || !ok;
        next(i + 1);
      });
    })(0);
  });

  function listen() {
    var live = document.getElementById("live");
    if (!live || !window.EventSource) {
      return; // the live part polls by itself while files are read
    }
    var source = new EventSource(live.getAttribute("data-events"));
    source.addEventListener("changed", function () {
      document.body.dispatchEvent(new CustomEvent("paoyici:changed"));
      var inner = document.getElementById("live-inner");
      if (inner && !inner.hasAttribute("data-reading")) {
        refreshLive(); // a reviewer's decision or a certificate: not polled for
      }
    });
  }

  // --- the reviewer's console: keyboard shortcuts and the idle warning -------------------

  function flags() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-shortcuts] .flag"));
  }

  function currentFlag() {
    var list = flags();
    var active = document.activeElement;
    for (var i = 0; i < list.length; i++) {
      if (list[i] === active || list[i].contains(active) || list[i].classList.contains("is-current")) {
        return i;
      }
    }
    return -1;
  }

  function focusFlag(i) {
    var list = flags();
    if (list.length === 0) {
      return;
    }
    i = Math.max(0, Math.min(list.length - 1, i));
    list.forEach(function (f) { f.classList.remove("is-current"); });
    list[i].classList.add("is-current");
    list[i].focus();
    list[i].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (event) {
    if (!document.querySelector("[data-shortcuts]") || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") {
      if (event.key === "Escape") {
        event.target.blur();
        var i = currentFlag();
        if (i >= 0) { focusFlag(i); }
      }
      return;
    }
    var key = event.key.toLowerCase();
    var i = currentFlag();
    var list = flags();
    var flag = i >= 0 ? list[i] : null;
    var target = null;
    if (key === "j") {
      focusFlag(i + 1);
    } else if (key === "k") {
      focusFlag(i < 0 ? 0 : i - 1);
    } else if (key === "c" && flag) {
      target = flag.querySelector('[data-key="confirm"]');
      if (target) { target.click(); }
    } else if (key === "e" && flag) {
      target = flag.querySelector('[data-key="correct"]');
      if (target) { target.focus(); target.select(); }
    } else if (key === "r" || key === "a") {
      target = document.querySelector('[data-key="' + (key === "r" ? "return" : "approve") + '"]');
      if (target) { target.checked = true; target.focus(); }
    } else {
      return;
    }
    event.preventDefault();
  });

  function idleWarning() {
    var marker = document.querySelector("[data-idle-seconds]");
    if (!marker) {
      return;
    }
    var seconds = parseInt(marker.getAttribute("data-idle-seconds"), 10);
    var warnAfter = Math.max(30, seconds - 120) * 1000;
    var timer = null;
    var banner = null;
    function arm() {
      clearTimeout(timer);
      timer = setTimeout(show, warnAfter);
    }
    function show() {
      if (banner) { return; }
      banner = document.createElement("div");
      banner.className = "idle-warning";
      banner.setAttribute("role", "alertdialog");
      banner.setAttribute("aria-label", "即将自动退出");
      var text = document.createElement("p");
      text.textContent = "为保护信息安全，您已较长时间未操作，约 2 分钟后将自动退出。";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-primary";
      button.textContent = "继续使用";
      button.addEventListener("click", function () {
        var data = new FormData();
        data.append("csrf_token", csrfToken());
        fetch("/session/extend", { method: "POST", body: data, credentials: "same-origin" })
          .then(function (r) {
            if (r.status === 204) {
              banner.remove();
              banner = null;
              arm();
            } else {
              window.location.assign("/login");
            }
          });
      });
      banner.appendChild(text);
      banner.appendChild(button);
      document.body.insertBefore(banner, document.body.firstChild);
      button.focus();
    }
    arm();
  }

  document.addEventListener("DOMContentLoaded", function () {
    listen();
    idleWarning();
    // an error summary takes the focus, so a screen reader and a keyboard user start there
    var summary = document.querySelector("[data-autofocus]");
    if (summary) {
      summary.focus();
    }
  });
})();
