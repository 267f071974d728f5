// saywhen default theme: small enhancements on top of pages that read fine
// without JavaScript. No framework, no requests outside the site's files.
(function () {
  "use strict";

  // "/" focuses the search box from any page, unless the reader is typing:
  // the page's own search form if it has one (home, search, 404), else the
  // one in the header.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var t = event.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.querySelector("main [role=search] input[type=search]") || document.getElementById("site-search");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  // Screen readers hear "Copied" through a polite live region (the button's
  // own label stays "Copy this phrase").
  var live = null;
  function announce(message) {
    if (!live) {
      live = document.createElement("div");
      live.className = "visually-hidden";
      live.setAttribute("role", "status");
      live.id = "saywhen-announce";
      document.body.appendChild(live);
    }
    live.textContent = "";
    setTimeout(function () { live.textContent = message; }, 30);
  }

  // The fallback for http:// intranets, where the async clipboard API is
  // unavailable, and for browsers that refuse it.
  function copyWithSelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.setAttribute("aria-hidden", "true");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.opacity = "0";
    document.body.appendChild(area);
    var focused = document.activeElement;
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    if (focused && focused.focus) focused.focus();
    return ok;
  }

  // Copies `text`; resolves when it is on the clipboard.
  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        if (!copyWithSelection(text)) throw new Error("copy failed");
      });
    }
    return new Promise(function (resolve, reject) {
      if (copyWithSelection(text)) resolve(); else reject(new Error("copy failed"));
    });
  }

  // Copy buttons copy exactly the phrase text next to them.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.copy");
    if (!button) return;
    var holder = button.closest(".phrase, [data-phrase]");
    var textNode = holder && holder.querySelector(".phrase-text");
    var text = (button.getAttribute("data-copy") || (textNode ? textNode.textContent : "")).trim();
    clearTimeout(button.saywhenTimer);
    copyText(text).then(function () {
      button.removeAttribute("data-copy-failed");
      button.setAttribute("data-copied", "");
      button.textContent = "✓ Copied";
      announce("Copied: " + text);
      button.saywhenTimer = setTimeout(function () {
        button.removeAttribute("data-copied");
        button.textContent = "Copy";
      }, 2000);
    }, function () {
      // Leave the phrase selected so Ctrl+C (or a long press) copies it.
      if (textNode) {
        var range = document.createRange();
        range.selectNodeContents(textNode);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
      button.setAttribute("data-copy-failed", "");
      button.textContent = "Selected: press Ctrl+C";
      announce("Could not copy. The phrase is selected: press Ctrl+C to copy it.");
      button.saywhenTimer = setTimeout(function () {
        button.removeAttribute("data-copy-failed");
        button.textContent = "Copy";
      }, 4000);
    });
  });

  // In a playbook's step outline, mark the step being read.
  var outline = document.querySelector(".step-outline");
  if (outline && "IntersectionObserver" in window) {
    var links = {};
    Array.prototype.forEach.call(outline.querySelectorAll("a[href^='#']"), function (a) {
      links[decodeURIComponent(a.getAttribute("href").slice(1))] = a;
    });
    var headings = Array.prototype.filter.call(document.querySelectorAll(".entry-body h2[id]"), function (h) {
      return links[h.id];
    });
    var update = function () {
      var current = null;
      headings.forEach(function (h) { if (h.getBoundingClientRect().top < window.innerHeight * 0.35) current = h; });
      Object.keys(links).forEach(function (id) {
        if (current && id === current.id) links[id].setAttribute("aria-current", "step");
        else links[id].removeAttribute("aria-current");
      });
    };
    var observer = new IntersectionObserver(update, { rootMargin: "0px 0px -60% 0px" });
    headings.forEach(function (h) { observer.observe(h); });
    window.addEventListener("hashchange", update);
    update();
  }

  window.saywhen = { copyText: copyText };
})();
