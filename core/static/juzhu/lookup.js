/* juzhu: the holder look-up of every form that takes a holder by citizen ID number.
 *
 * Attaches to each input marked data-juzhu-lookup="holder" (api.HolderIdNumberField). After the
 * 18th character, and when the field changes, the GB 11643-1999 check character is checked
 * here at once; a good number is then looked up (GET <data-lookup-url>?id_number=…, the 持证人
 * view's JSON look-up, core/admin/lookup.py) and its Chinese answer — the holder's name and
 * permit, "not found" with a link to the holder form, or what is wrong with the number — is
 * shown in an aria-live region right after the field. Plain script, no library; no inline
 * handler (the admin's Content-Security-Policy forbids them).
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var URL_BASE = (script && script.getAttribute("data-lookup-url")) || "/admin/holders/lookup/";
  var STANDARD = "GB 11643-1999";
  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK_CHARS = "10X98765432";
  var SHAPE = /^[0-9]{17}[0-9X]$/;

  /* As the server reads it (core.rules.parse_id_number): full-width characters folded by
     NFKC, spaces around trimmed, a trailing lower-case x as X. */
  function canonical(value) {
    var text = String(value || "");
    if (text.normalize) { text = text.normalize("NFKC"); }
    text = text.trim();
    if (text.slice(-1) === "x") { text = text.slice(0, -1) + "X"; }
    return text;
  }

  function checkChar(first17) {
    var total = 0;
    for (var i = 0; i < 17; i += 1) { total += Number(first17.charAt(i)) * WEIGHTS[i]; }
    return CHECK_CHARS.charAt(total % 11);
  }

  /* A Chinese message when the number is certainly wrong, else null (the server checks the
     rest: province and birth date). */
  function localProblem(text) {
    if (!SHAPE.test(text)) {
      return "公民身份号码格式错误：应为18位，前17位为数字，最后一位为数字或X（" + STANDARD +
        "），已输入" + text.length + "位";
    }
    if (checkChar(text.slice(0, 17)) !== text.charAt(17)) {
      return "公民身份号码校验位错误：请核对号码（" + STANDARD + "）";
    }
    return null;
  }

  function attach(input, index) {
    var region = document.createElement("div");
    region.id = (input.id || "juzhu-holder") + "-lookup-" + index;
    region.className = "juzhu-lookup";
    region.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", region);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + region.id);

    var asked = null;   // the number last checked or looked up
    var pending = 0;    // the number of the request whose answer is awaited

    function show(kind, message, link) {
      region.className = "juzhu-lookup juzhu-lookup-" + kind;
      region.textContent = message;
      if (link) {
        var a = document.createElement("a");
        a.href = link;
        a.target = "_blank";
        a.rel = "noopener";
        a.textContent = "录入持证人（新窗口）";
        region.appendChild(document.createTextNode(" "));
        region.appendChild(a);
      }
      if (kind === "invalid") {
        input.setAttribute("aria-invalid", "true");
      } else {
        input.removeAttribute("aria-invalid");
      }
    }

    function clear() {
      asked = null;
      pending += 1;  // an answer still on its way no longer applies
      region.className = "juzhu-lookup";
      region.textContent = "";
      input.removeAttribute("aria-invalid");
    }

    function check(text) {
      if (text === asked) { return; }
      asked = text;
      var problem = localProblem(text);
      pending += 1;
      if (problem) {
        show("invalid", problem);
        return;
      }
      var mine = pending;
      show("pending", "正在查找持证人……");
      fetch(URL_BASE + "?id_number=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: {"Accept": "application/json"}
      }).then(function (response) {
        return response.json();
      }).then(function (body) {
        if (mine !== pending) { return; }
        var kind = {found: "found", not_found: "missing", invalid: "invalid"}[body.status] ||
          "invalid";
        show(kind, body.message || "无法查询持证人", body.create_url);
      }).catch(function () {
        if (mine !== pending) { return; }
        asked = null;  // try again on the next change
        show("invalid", "暂时无法查询持证人，请稍后重试");
      });
    }

    input.addEventListener("input", function () {
      var text = canonical(input.value);
      if (text.length >= 18) {
        check(text);
      } else if (asked !== null) {
        clear();  // the answer was about another number
      }
    });
    input.addEventListener("change", function () {
      var text = canonical(input.value);
      if (text) { check(text); } else { clear(); }
    });
    if (canonical(input.value).length >= 18) { check(canonical(input.value)); }
  }

  function start() {
    var inputs = document.querySelectorAll("input[data-juzhu-lookup='holder']");
    for (var i = 0; i < inputs.length; i += 1) { attach(inputs[i], i); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
