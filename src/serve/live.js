// casebook serve's live reload. Injected into HTML pages by `casebook serve` only, never into a
// built site. It listens for build events; once a newer site has been swapped in, it fetches
// this page again (unless the event names the pages that changed since this page's generation
// and this one is not among them: an edit is shown in two steps, the edited page first, then
// the pages whose similar incidents moved, and each step names its pages) and, when only its
// <main> changed (serve says so in data-frame and
// data-soft, see src/serve/page.rs), swaps in the new <main> and title, keeping the scroll
// position; anything else (another frame, a page with its own scripts, a theme or asset edit,
// a page now gone, a failed fetch) reloads the page in full. A failed build shows its
// diagnostics in an overlay until a fix arrives. Text goes in with textContent, so nothing from
// a diagnostic is ever parsed as HTML. Each swap sets data-casebook-generation on <html>.
(function () {
  "use strict";
  var me = document.currentScript;
  var generation = Number(me.getAttribute("data-generation"));
  var events = me.getAttribute("data-events");
  var overlay = null;

  function show(errors) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "casebook-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-label", "Build failed");
    var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
      (dark ? "background:rgba(20,20,24,.96);color:#f1f1f1;" : "background:rgba(255,255,255,.97);color:#1a1a1a;");
    var box = document.createElement("div");
    box.style.cssText = "max-width:60rem;margin:0 auto;";
    var h = document.createElement("h2");
    h.textContent = "Build failed: the last good pages are still served";
    h.style.cssText = "margin:0 0 1rem;font-size:1.2rem;color:" + (dark ? "#ff8a80" : "#b00020") + ";";
    box.appendChild(h);
    errors.forEach(function (e) {
      var pre = document.createElement("pre");
      pre.className = "casebook-error";
      pre.style.cssText = "white-space:pre-wrap;margin:0 0 1rem;padding:.75rem 1rem;border-radius:6px;" +
        "border-left:4px solid " + (dark ? "#ff8a80" : "#b00020") + ";background:" + (dark ? "#2a2a30" : "#f6f6f6") + ";";
      pre.textContent = e.headline + e.help.map(function (x) { return "\n  = help: " + x; }).join("");
      box.appendChild(pre);
    });
    var p = document.createElement("p");
    p.textContent = "Fix the file and save: this page reloads by itself.";
    box.appendChild(p);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
  }

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function reload() {
    source.close();
    location.reload();
  }

  // The live-reload tag of a parsed page, and the page's <main>.
  function parts(doc) {
    return { tag: doc.querySelector("script[data-events]"), main: doc.getElementById("main") };
  }

  // Fetches this page again and swaps its <main> in, or reloads in full when it cannot.
  function swap() {
    busy = true;
    fetch(location.href, { cache: "no-store" }).then(function (r) {
      if (!r.ok) { throw new Error("status " + r.status); }
      return r.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var now = parts(document), next = parts(doc);
      if (!now.main || !next.main || !next.tag || next.tag.getAttribute("data-soft") !== "1" ||
          next.tag.getAttribute("data-frame") !== me.getAttribute("data-frame")) {
        throw new Error("more than <main> changed");
      }
      var x = window.scrollX, y = window.scrollY;
      now.main.replaceChildren.apply(now.main, Array.prototype.slice.call(next.main.childNodes));
      document.title = doc.title;
      window.scrollTo(x, y);
      generation = Number(next.tag.getAttribute("data-generation"));
      hide();
      document.documentElement.dataset.casebookGeneration = String(generation);
      busy = false;
      if (waiting) { var s = waiting; waiting = null; onStatus(s); }
    }).catch(reload);
  }

  // Whether the build of `status` left this page as it was: it names the pages it changed,
  // this one is not among them, and this page is of the build just before it. A page with a
  // script of its own (the search page) reloads after every build all the same, since what its
  // script reads (the search index) may have changed under the same HTML.
  function untouched(status) {
    var page = me.getAttribute("data-page");
    return page !== null && me.getAttribute("data-soft") === "1" && status.pages &&
      status.generation === generation + 1 &&
      status.full <= generation && status.pages.indexOf(page) < 0;
  }

  function onStatus(status) {
    if (busy) {
      waiting = status;
    } else if (status.generation > generation && untouched(status)) {
      generation = status.generation;
      hide();
      document.documentElement.dataset.casebookGeneration = String(generation);
    } else if (status.generation > generation) {
      if (status.full > generation || me.getAttribute("data-soft") !== "1") {
        reload();
      } else {
        swap();
      }
    } else if (status.errors.length > 0) {
      show(status.errors);
    } else {
      hide();
    }
  }

  var busy = false, waiting = null;
  var source = new EventSource(events);
  source.addEventListener("build", function (msg) { onStatus(JSON.parse(msg.data)); });
})();
