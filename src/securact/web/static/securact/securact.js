// What the pages do in the browser, kept out of the HTML: the Content-Security-Policy
// forbids inline scripts and htmx's evaluated attributes (hx-on, trigger filters).
(function () {
  "use strict";

  // htmx does not swap 4xx answers by default; inside [data-swap-errors] they carry the
  // French message to show (refused upload: 400, preview not possible: 422).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var zone = event.target.closest && event.target.closest("[data-swap-errors]");
    if (zone && (status === 400 || status === 422)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A file input is emptied once its upload is answered, so the same file can be added again.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.target.matches && event.target.matches("[data-clear-after-request]")) {
      event.target.value = "";
    }
  });

  // Choosing the act's nature tells the page (hx-trigger="nature-changed from:body").
  document.addEventListener("change", function (event) {
    if (event.target.name === "nature" && window.htmx) {
      window.htmx.trigger(document.body, "nature-changed");
    }
  });

  // A button that puts the focus on another field (data-focus="<its id>").
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-focus]");
    if (button) {
      var field = document.getElementById(button.getAttribute("data-focus"));
      if (field) {
        field.focus();
      }
    }
  });
})();
