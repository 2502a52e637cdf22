/*
 * Keyboard moderation for the admin queue (progressive enhancement).
 *
 * Every action is a plain POST button that works without this file. Here:
 * j / k move the selection, a / s / d press the selected row's approve (or
 * not spam) / spam / remove button, r follows its reply link, x ticks its
 * checkbox, ? shows the keys. After an action the page reloads; the
 * selection comes back at the same position, which is now the next comment.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-mq]");
  if (!root) {
    return;
  }
  root.classList.add("mq-js");

  var STORAGE_KEY = "newsarchive.moderation.position";
  var help = document.getElementById("mq-help");
  var helpButton = root.querySelector("[data-mq-help]");
  var index = -1;
  var busy = false;

  function rows() {
    return Array.prototype.slice.call(root.querySelectorAll("[data-mq-row]"));
  }

  function select(position, options) {
    var all = rows();
    if (!all.length) {
      return;
    }
    index = Math.max(0, Math.min(position, all.length - 1));
    all.forEach(function (row, n) {
      var on = n === index;
      row.classList.toggle("is-selected", on);
      if (on) {
        row.setAttribute("aria-current", "true");
      } else {
        row.removeAttribute("aria-current");
      }
    });
    var row = all[index];
    if (!options || options.focus !== false) {
      row.focus({ preventScroll: true });
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function remember() {
    try {
      window.sessionStorage.setItem(
        STORAGE_KEY,
        JSON.stringify({ path: location.pathname + location.search, index: index })
      );
    } catch (e) {
      /* Storage may be unavailable (private mode): start at the top. */
    }
  }

  function recalled() {
    try {
      var raw = window.sessionStorage.getItem(STORAGE_KEY);
      window.sessionStorage.removeItem(STORAGE_KEY);
      var saved = raw ? JSON.parse(raw) : null;
      if (saved && saved.path === location.pathname + location.search) {
        return saved.index;
      }
    } catch (e) {
      /* Ignore a missing or malformed entry. */
    }
    return 0;
  }

  function press(key) {
    var row = rows()[index];
    if (!row || busy) {
      return false;
    }
    var control = row.querySelector('[data-mq-key="' + key + '"]');
    if (!control) {
      return false;
    }
    busy = true;
    remember();
    row.classList.add("is-busy");
    if (control.tagName === "A") {
      window.location.assign(control.href);
    } else if (control.form.requestSubmit) {
      control.form.requestSubmit(control);
    } else {
      control.click();
    }
    return true;
  }

  function toggleHelp() {
    if (!help || typeof help.showModal !== "function") {
      return;
    }
    if (help.open) {
      help.close();
    } else {
      help.showModal();
    }
  }

  function typing(target) {
    return Boolean(
      target.closest &&
        target.closest(
          "textarea, select, [contenteditable='true'], " +
            "input:not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button])"
        )
    );
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (typing(event.target)) {
      return;
    }
    if (help && help.open && event.key !== "?") {
      return; /* the dialog handles Escape itself */
    }
    var handled = true;
    switch (event.key) {
      case "j":
        select(index + 1);
        break;
      case "k":
        select(index - 1);
        break;
      case "a":
      case "s":
      case "d":
      case "r":
        handled = press(event.key);
        break;
      case "x":
        var row = rows()[index];
        var box = row && row.querySelector('input[type="checkbox"][name="selected"]');
        if (box) {
          box.checked = !box.checked;
        } else {
          handled = false;
        }
        break;
      case "?":
        toggleHelp();
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
    }
  });

  root.addEventListener("click", function (event) {
    var row = event.target.closest("[data-mq-row]");
    if (row) {
      select(rows().indexOf(row), { focus: false });
    }
  });

  if (helpButton && help && typeof help.showModal === "function") {
    helpButton.hidden = false;
    helpButton.addEventListener("click", toggleHelp);
  }

  if (rows().length) {
    select(recalled(), { focus: true });
  }
})();
