// The service form (/signifier/): Enter in « Rechercher le destinataire » searches, as the
// « Rechercher » button next to it does, instead of submitting the whole form (which would
// clear the search and ask for a recipient, a nature and a certificate not chosen yet).
// A file, not an inline script: the Content-Security-Policy allows no inline script and no
// eval (htmx's keydown[...] filters are evaluated code).
"use strict";

document.addEventListener("keydown", (event) => {
  const field = event.target;
  if (event.key !== "Enter" || event.isComposing || !(field instanceof HTMLInputElement)) {
    return;
  }
  if (field.id !== "recipient-q") {
    return;
  }
  event.preventDefault();
  const button = document.getElementById("recipient-search");
  if (button) {
    button.click();
  }
});
