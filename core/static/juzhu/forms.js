/* juzhu: keyboard-first create and edit forms. When an admin form opens, the cursor is put in
 * its first field that shows an error, else in its first field, so a clerk types at once
 * (and Tab goes on through the fields in order). Nothing happens when the clerk already moved
 * the focus, or on pages without a form of Flask-Admin's (form.admin-form).
 */
(function () {
  "use strict";

  var FIELDS = "input:not([type=hidden]):not([type=submit]):not([type=button])" +
    ":not([type=reset]):not([type=image]):not([disabled]), select:not([disabled])," +
    " textarea:not([disabled])";

  /* The first element matching selector that a clerk can type into. A select2 list hides its
     own select (tabindex -1) behind a box of its own; focusing the select moves the focus
     into that box. */
  function first(form, selector) {
    var all = form.querySelectorAll(selector);
    for (var i = 0; i < all.length; i += 1) {
      var el = all[i];
      if (el.tagName === "SELECT" && el.classList.contains("select2-offscreen")) { return el; }
      if (el.getClientRects().length > 0 && el.getAttribute("tabindex") !== "-1") { return el; }
    }
    return null;
  }

  function start() {
    var form = document.querySelector("form.admin-form");
    if (!form) { return; }
    var active = document.activeElement;
    if (active && active !== document.body && active !== document.documentElement) { return; }
    var target = first(form, "input.is-invalid, select.is-invalid, textarea.is-invalid") || first(form, FIELDS);
    if (target) { target.focus(); }
  }

  /* After Flask-Admin's own scripts have set up select2 (jQuery runs them when the document
     is ready, a little after DOMContentLoaded). */
  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
}());
