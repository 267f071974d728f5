// saywhen default theme: small enhancements on top of pages that read fine
// without JavaScript. No framework, no requests outside the site's files.
(function () {
  "use strict";

  // "/" focuses the search box from any page, unless the reader is typing.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var t = event.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.getElementById("search-page-input") || document.getElementById("site-search");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  // Copy buttons copy exactly the phrase text next to them.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Fallback for http:// intranets and file://, where the async clipboard
    // API is unavailable.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.copy");
    if (!button) return;
    var holder = button.closest(".phrase, [data-phrase]");
    var textNode = holder && holder.querySelector(".phrase-text");
    var text = button.getAttribute("data-copy") || (textNode ? textNode.textContent : "");
    copyText(text.trim()).then(function () {
      button.setAttribute("data-copied", "");
      button.textContent = "Copied";
      setTimeout(function () {
        button.removeAttribute("data-copied");
        button.textContent = "Copy";
      }, 1600);
    }, function () {
      button.textContent = "Select and copy";
    });
  });

  window.saywhen = { copyText: copyText };
})();
