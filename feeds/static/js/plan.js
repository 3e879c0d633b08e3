// Enhancements for the plan page and a managed plan's pages (created, manage). Every page works
// without this file: forms submit and the server renders the result. Here we only add time-zone
// detection, the time fields' toggle, the time-zone suggestions (one cached file, fetched when
// the zone field is first used), the long-run day's note on the training days,
// copy-to-clipboard, the calendar button for this device and, on the plan page, a live preview
// and "Add to Google Calendar" / "Add to Outlook" in one tap.
(function () {
  "use strict";

  var form = document.getElementById("plan-form");
  var timedChoice = document.getElementById("when-timed");
  var liveStatus = document.querySelector(".live-status");
  var pending = null;
  var generation = 0;
  document.documentElement.classList.add("js");

  function detectTimeZone() {
    var tz = document.getElementById("tz-input");
    if (!tz || tz.value) return;
    try {
      tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      // Old browsers: the runner types the zone.
    }
  }

  function toggleTimed() {
    // Disabled fields are not submitted: all-day events send no time or zone.
    var fields = timedChoice.form.querySelector(".timed-fields");
    if (!fields) return;
    if (timedChoice.checked) loadZones();
    fields.hidden = !timedChoice.checked;
    fields.querySelectorAll("input").forEach(function (input) {
      input.disabled = !timedChoice.checked;
    });
  }

  function loadZones() {
    // Without this the zone field is plain text, and the server checks what is typed.
    var tz = document.getElementById("tz-input");
    var list = document.getElementById("zones");
    if (!tz || !list || list.childElementCount || !tz.getAttribute("data-zones")) return;
    fetch(tz.getAttribute("data-zones"))
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (zones) {
        var options = document.createDocumentFragment();
        zones.forEach(function (zone) {
          var option = document.createElement("option");
          option.value = zone;
          options.appendChild(option);
        });
        if (!list.childElementCount) list.appendChild(options);
      })
      .catch(function () { /* Suggestions are a convenience; typing still works. */ });
  }

  function markDayBeforeLong() {
    // Mirror the server-rendered note when the long-run day changes.
    var days = document.getElementById("days-input");
    var long = document.getElementById("long-input");
    var note = document.getElementById("days-note");
    if (!days || !long || !note) return;
    var boxes = Array.prototype.slice.call(days.querySelectorAll("input[name=days]"));
    var index = boxes.findIndex(function (box) { return box.value === long.value; });
    if (index < 0) return;
    var before = boxes[(index + boxes.length - 1) % boxes.length];
    boxes.forEach(function (box) {
      var blocked = box === before;
      box.closest("label").classList.toggle("day-before-long", blocked);
      if (blocked) box.setAttribute("aria-describedby", "days-note");
      else box.removeAttribute("aria-describedby");
    });
    var template = days.getAttribute("data-before-long-note");
    note.textContent = template.replace("{day}", before.getAttribute("data-day-name"));
  }

  function say(element, text) {
    if (!element) return;
    element.textContent = "";
    // A fresh text node after a tick makes screen readers announce repeated messages.
    window.setTimeout(function () { element.textContent = text; }, 50);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      (ok ? resolve : reject)();
    });
  }

  // Messages come translated from the page (base.html, #script-text); English if it is missing.
  var TEXT = (function () {
    var node = document.getElementById("script-text");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  })();
  function text(key) {
    return TEXT[key] || key;
  }

  function onCopy(event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    // Each button names the line that reports the copy; it may bring its own message.
    var status = document.getElementById(button.getAttribute("data-status"));
    var done = button.getAttribute("data-copied") || text("copied");
    copyText(source.value).then(
      function () { say(status, done); },
      function () {
        source.focus();
        source.select();
        say(status, text("copy_failed"));
      }
    );
  }

  function deviceOf(agent) {
    // The same rule as subscribe.device_of; an iPad asking for the desktop site says Macintosh.
    if (/iPhone|iPad|iPod|Macintosh/.test(agent)) return "apple";
    if (/Android|CrOS/.test(agent)) return "google";
    if (/Windows/.test(agent)) return "outlook";
    return "other";
  }

  function suggestClient(root) {
    // The server chose from the User-Agent header; the browser may know better (a proxy or an
    // app's web view can change the header). Swap the primary card if they disagree.
    var clients = root.querySelector(".clients[data-device]");
    // The runner named the calendar ("Add to Apple Calendar"): their word beats any guess.
    if (!clients || clients.hasAttribute("data-chosen")) return;
    var pick = deviceOf(navigator.userAgent);
    if (pick === clients.getAttribute("data-device")) return;
    var primary = clients.querySelector(".primary-client");
    var others = clients.querySelector(".other-clients");
    var card = others && others.querySelector('.client[data-for="' + pick + '"]');
    var current = primary && primary.querySelector(".client");
    if (!card || !current) return;
    others.insertBefore(current, others.querySelector("summary").nextSibling);
    primary.appendChild(card);
    clients.setAttribute("data-device", pick);
  }

  function openOnce(root) {
    // Right after "Add to Apple Calendar" the plan's page opens Apple's subscribe dialog itself.
    // The server marks the button on that one visit only (a reload has no mark); the stored key
    // also keeps a page restored from the back-forward cache from opening it a second time.
    var link = root.querySelector("a[data-open-once]");
    if (!link) return;
    link.focus();
    if (link.getAttribute("href").indexOf("webcal:") !== 0) return;
    var key = "opened:" + window.location.pathname;
    try {
      if (window.sessionStorage.getItem(key)) return;
      window.sessionStorage.setItem(key, "1");
    } catch (error) {
      return;  // no storage, no promise it happens once: the focused button is one tap away
    }
    window.location.href = link.href;
  }

  function onCopyFirst(event) {
    // Google's "From URL" page needs the link pasted: copy it, then let the link open the page.
    var link = event.target.closest("a[data-copy-first]");
    if (!link) return;
    var source = document.getElementById(link.getAttribute("data-copy-first"));
    var status = document.getElementById(link.getAttribute("data-status"));
    if (!source) return;
    copyText(source.value).then(
      function () { say(status, text("google_copied")); },
      function () { say(status, text("google_copy_failed")); }
    );
  }

  // The plan page's "Add to Google Calendar" (or Outlook) stores the plan with fetch instead of a
  // page load, so that, within the few seconds a tap lets a page use the clipboard and open a
  // tab, it can copy the feed URL and open the calendar's own page. Any refusal or error sends
  // the same form the plain way: the runner sees the page they would see without this script.
  var adding = false;  // a second tap while the first is under way does nothing
  var added = null;  // the plan this page already stored: a later tap (after Back) reuses it
  var plainly = false;

  function onCreate(event) {
    var button = event.submitter;
    var calendar = button && button.name === "client" ? button.value : "";
    if (plainly || event.target.id !== "create-form" || !window.fetch) return;
    if (calendar !== "google" && calendar !== "outlook") return;
    event.preventDefault();
    if (adding) return;
    adding = true;
    var createForm = event.target;
    (added ? Promise.resolve(added) : storePlan(createForm, button)).then(
      function (answer) { added = answer; openCalendar(answer); },
      function () { submitPlainly(createForm, button); }
    );
  }

  function storePlan(createForm, button) {
    var body = new FormData(createForm);
    body.append(button.name, button.value);
    return fetch(createForm.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      // 403 (an expired form), 429, a wrong field: the plain post shows that page.
      if (response.status !== 201) throw new Error("not stored: " + response.status);
      return response.json();
    });
  }

  function submitPlainly(createForm, button) {
    adding = false;
    plainly = true;
    if (createForm.requestSubmit) {
      createForm.requestSubmit(button);
      return;
    }
    // Safari 15.4-15.6 has no requestSubmit: carry the button's choice in a field.
    var choice = document.createElement("input");
    choice.type = "hidden";
    choice.name = button.name;
    choice.value = button.value;
    createForm.appendChild(choice);
    createForm.submit();
  }

  function openCalendar(answer) {
    // Copy first: once the new tab has the focus, this page may no longer write the clipboard.
    var copied = answer.paste ? copyText(answer.feed_url) : Promise.resolve();
    copied.then(function () {
      var tab = window.open(answer.open_url, "_blank");
      if (!tab) throw new Error("no new tab");
      tab.opener = null;
      window.location.assign(answer.manage_url + (answer.paste ? "#copied" : "#opened"));
    }).catch(function () {
      // The plan is stored: its page shows this calendar's button first, focused, one tap away.
      window.location.assign(answer.manage_url);
    });
  }

  function noteAdded(root) {
    // The plan's page after "Add to ...": say what happened in the other tab, once.
    var hash = window.location.hash;
    if (hash !== "#copied" && hash !== "#opened") return;
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    var kind = hash === "#copied" ? "google" : "outlook-com";
    var link = root.querySelector('.primary-client a[data-client="' + kind + '"]');
    if (!link) return;
    var note = document.createElement("p");
    note.className = "notice notice-success added-note";
    note.setAttribute("role", "status");
    link.closest("p").insertAdjacentElement("afterend", note);
    // Google's card goes on with "Then paste the link there and choose Add calendar".
    say(note, kind === "google"
      ? text("google_opened")
      : text("outlook_opened"));
  }

  function enhance(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
    });
    suggestClient(root);
    openOnce(root);
  }

  function datesLookComplete() {
    // While a year is being typed Chrome reports dates such as 0002-04-18: wait for all four digits.
    return Array.prototype.every.call(form.querySelectorAll("input[type=date]"), function (input) {
      return !input.value || Number(input.value.slice(0, 4)) >= 1900;
    });
  }

  function syncErrors(fresh) {
    form.querySelectorAll(".field-error").forEach(function (slot) {
      var next = fresh.getElementById(slot.id);
      var text = next ? next.textContent : "";
      slot.textContent = text;
      var input = document.getElementById(slot.getAttribute("data-field") + "-input");
      if (!input) return;
      if (text) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
    var summary = document.querySelector(".error-summary");
    if (summary) summary.parentNode.removeChild(summary);
  }

  function showResult(fresh) {
    var next = fresh.querySelector("section#result");
    var current = document.querySelector("section#result");
    if (!next) return;
    if (current) {
      current.parentNode.replaceChild(next, current);
    } else {
      form.closest("section").insertAdjacentElement("afterend", next);
    }
    enhance(next);
  }

  function refresh() {
    var query = new URLSearchParams(new FormData(form)).toString();
    var url = form.getAttribute("action").split("#")[0] + "?" + query;
    var mine = ++generation;
    fetch(url, { headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.text().then(function (html) { return { ok: response.ok, html: html }; });
      })
      .then(function (answer) {
        if (mine !== generation) return;
        var fresh = new DOMParser().parseFromString(answer.html, "text/html");
        syncErrors(fresh);
        var current = document.querySelector("section#result");
        if (answer.ok) {
          showResult(fresh);
          window.history.replaceState(null, "", url);
          say(liveStatus, text("preview_updated"));
        } else {
          if (current) current.classList.add("stale");
          say(liveStatus, text("preview_not_updated"));
        }
      })
      .catch(function () {
        say(liveStatus, text("preview_failed"));
      });
  }

  function onChange() {
    window.clearTimeout(pending);
    if (!form.checkValidity() || !datesLookComplete()) return;
    pending = window.setTimeout(refresh, 400);
  }

  detectTimeZone();
  enhance(document);
  markDayBeforeLong();
  var longSelect = document.getElementById("long-input");
  if (longSelect) longSelect.addEventListener("change", markDayBeforeLong);
  var tzInput = document.getElementById("tz-input");
  if (tzInput) tzInput.addEventListener("focus", loadZones);
  document.addEventListener("click", onCopy);
  document.addEventListener("click", onCopyFirst);
  document.addEventListener("submit", onCreate);
  noteAdded(document);
  window.addEventListener("pageshow", function (event) {
    // Back from the plan's page: this page may come back as it was, mid-"Add".
    if (event.persisted) adding = plainly = false;
  });
  if (timedChoice) {
    toggleTimed();
    // Registered before onChange, so the live preview reads the fields already toggled.
    timedChoice.form.addEventListener("change", toggleTimed);
  }
  if (form) form.addEventListener("change", onChange);
})();
