// The card form of the pay page: Stripe.js mounts a card element and confirms the PaymentIntent, then the
// browser goes to the payment's status page, which reads the outcome from our own database (settled by
// Stripe's webhook, never by this script).
(function () {
  "use strict";
  var form = document.getElementById("card-payment");
  if (!form) return;
  var loading = document.getElementById("card-loading");
  var errors = document.getElementById("card-errors");
  var button = document.getElementById("card-submit");
  var statusUrl = form.getAttribute("data-status-url");
  if (typeof window.Stripe !== "function") {
    loading.textContent = "The card form could not load (Stripe.js is blocked or unreachable). Nothing has been charged.";
    return;
  }
  var stripe = window.Stripe(form.getAttribute("data-publishable-key"));
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  loading.hidden = true;
  button.disabled = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    errors.textContent = "";
    stripe
      .confirmCardPayment(form.getAttribute("data-client-secret"), { payment_method: { card: card } })
      .then(function (result) {
        if (result.error) {
          errors.textContent = result.error.message || "The card was not accepted.";
        }
        window.location.assign(statusUrl);
      })
      .catch(function () {
        window.location.assign(statusUrl);
      });
  });
})();
