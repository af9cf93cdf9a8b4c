/* Panels that fold behind a button on small screens (the catalog's filters), as progressive enhancement.

   Markup: <button data-fold-toggle aria-controls="PANEL-ID" aria-expanded="true" hidden>…</button> and the panel.
   Without this script the button stays hidden and the panel stays open. With it, on screens narrower than
   40em the panel starts folded and the (native, keyboard-operable) button opens and closes it, keeping
   aria-expanded in step; from 40em up the CSS hides the button and always shows the panel. htmx swaps in new
   copies of the markup (search as you type): they are set up again and keep the state the person chose. */
(function () {
  "use strict";
  var chosen = {}; // panel id -> true (open) / false (folded), once the person has used the button

  function setUp(root) {
    var buttons = root.querySelectorAll ? root.querySelectorAll("[data-fold-toggle]") : [];
    Array.prototype.forEach.call(buttons, function (button) {
      var id = button.getAttribute("aria-controls");
      var panel = id && document.getElementById(id);
      if (!panel || button.dataset.foldReady) return;
      button.dataset.foldReady = "1";
      var apply = function (open) {
        button.setAttribute("aria-expanded", open ? "true" : "false");
        panel.classList.toggle("is-folded", !open);
      };
      apply(id in chosen ? chosen[id] : false);
      button.hidden = false;
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        chosen[id] = open;
        apply(open);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  if (document.readyState !== "loading") setUp(document);
  document.addEventListener("htmx:afterSettle", function () { setUp(document); });
})();
