/*
 * Comments: progressive enhancement only. Without this script the Reply links
 * reload the page with ?replytocom=N and the form posts as usual.
 *
 * With it, "Reply" moves the form under the comment and sets the hidden
 * parent field; "Cancel reply" puts it back. The submit button is disabled
 * while the post is on its way, so a double click cannot post twice.
 */
(function () {
  "use strict";

  var respond = document.getElementById("respond");
  var form = document.getElementById("commentform");
  if (!respond || !form) {
    return;
  }
  var parentInput = form.querySelector('input[name="parent"]');
  var titleText = respond.querySelector(".comment-respond__title-text");
  var cancel = document.getElementById("cancel-comment-reply-link");
  var body = form.querySelector('textarea[name="body"]');
  var defaultTitle = respond.getAttribute("data-title") || "Leave a Comment";

  // Where the form lives when it is not answering a comment.
  var home = document.createElement("div");
  home.id = "respond-home";
  home.hidden = true;
  respond.parentNode.insertBefore(home, respond);

  function commentCard(id) {
    return document.getElementById("comment-" + id);
  }

  function replyTo(id, author) {
    var card = commentCard(id);
    if (!card || !parentInput) {
      return false;
    }
    card.insertAdjacentElement("afterend", respond);
    parentInput.value = id;
    if (titleText) {
      titleText.textContent = "Reply to " + author;
    }
    if (cancel) {
      cancel.hidden = false;
    }
    if (body) {
      body.focus();
    }
    return true;
  }

  function cancelReply() {
    home.insertAdjacentElement("afterend", respond);
    if (parentInput) {
      parentInput.value = "";
    }
    if (titleText) {
      titleText.textContent = defaultTitle;
    }
    if (cancel) {
      cancel.hidden = true;
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".comment-reply-link") : null;
    if (!link) {
      return;
    }
    var id = link.getAttribute("data-comment-id");
    var author = link.getAttribute("data-author") || "";
    if (id && replyTo(id, author)) {
      event.preventDefault();
    }
  });

  if (cancel) {
    cancel.addEventListener("click", function (event) {
      event.preventDefault();
      cancelReply();
      if (body) {
        body.focus();
      }
    });
  }

  // Arrived through a no-JS reply link (?replytocom=N): show the form in place.
  if (parentInput && /^\d+$/.test(parentInput.value) && commentCard(parentInput.value)) {
    var link = document.querySelector(
      '.comment-reply-link[data-comment-id="' + parentInput.value + '"]'
    );
    commentCard(parentInput.value).insertAdjacentElement("afterend", respond);
    if (link && titleText) {
      titleText.textContent = "Reply to " + (link.getAttribute("data-author") || "");
    }
  }

  // The reader's words are kept in this tab (sessionStorage) while they type
  // and when they send, so that a form that expired (the CSRF page) or a lost
  // connection loses nothing: the next visit to the story puts them back.
  // A message tagged "comment-posted" says the comment arrived; the draft goes.
  var draftKey = "comment-draft:" + form.getAttribute("action");
  function storage() {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null; // storage blocked: the form works as before
    }
  }
  function keepDraft() {
    var store = storage();
    if (!store || !body) {
      return;
    }
    try {
      if (body.value.trim()) {
        store.setItem(draftKey, JSON.stringify({ body: body.value, parent: parentInput ? parentInput.value : "" }));
      } else {
        store.removeItem(draftKey);
      }
    } catch (e) {
      // Quota full: nothing more to do.
    }
  }
  (function restoreDraft() {
    var store = storage();
    if (!store || !body) {
      return;
    }
    if (document.querySelector(".message--comment-posted, .message.comment-posted")) {
      store.removeItem(draftKey);
      return;
    }
    var saved = null;
    try {
      saved = JSON.parse(store.getItem(draftKey) || "null");
    } catch (e) {
      saved = null;
    }
    if (!saved || typeof saved.body !== "string" || body.value.trim()) {
      return;
    }
    body.value = saved.body;
    var note = document.createElement("p");
    note.className = "comment-form__restored";
    note.setAttribute("role", "status");
    note.textContent = "We put back the comment you were writing.";
    body.insertAdjacentElement("beforebegin", note);
  })();
  if (body) {
    body.addEventListener("input", keepDraft);
  }

  form.addEventListener("submit", function () {
    keepDraft();
    var button = form.querySelector('button[type="submit"]');
    if (button) {
      // After the event, so the browser still sends the form.
      window.setTimeout(function () {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      }, 0);
    }
  });

  // Coming back with the Back button must not leave the button disabled.
  window.addEventListener("pageshow", function () {
    var button = form.querySelector('button[type="submit"]');
    if (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  });
})();
