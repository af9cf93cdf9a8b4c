// The card form of the pay page. Stripe.js mounts a card element and turns the card into a token
// (`createToken`); our server confirms the PaymentIntent with it (`…/payments/<id>/confirm/`); when the bank
// asks for 3-D Secure, Stripe.js completes it (`confirmCardPayment(clientSecret)`). Then the browser goes to the
// payment's status page, which reads the outcome from our own database (settled by Stripe's webhook, never by
// this script). A bad card or a decline is shown here, and the payer may try another card.
(function () {
  "use strict";
  var form = document.getElementById("card-payment");
  if (!form) return;
  var loading = document.getElementById("card-loading");
  var errors = document.getElementById("card-errors");
  var working = document.getElementById("card-working");
  var button = document.getElementById("card-submit");
  var statusUrl = form.getAttribute("data-status-url");
  var confirmUrl = form.getAttribute("data-confirm-url");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  var busy = false;
  if (typeof window.Stripe !== "function") {
    loading.textContent = "The card form could not load (Stripe.js is blocked or unreachable). Nothing has been charged.";
    return;
  }
  var stripe = window.Stripe(form.getAttribute("data-publishable-key"));
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  loading.hidden = true;
  button.disabled = false;

  function done() {
    window.location.assign(statusUrl);
  }

  function fail(message) {
    busy = false;
    working.textContent = "";
    errors.textContent = message;
    button.disabled = false;
  }

  function cardProblem(error) {
    var detail = error && error.message && error.message !== "Bad request" ? error.message + " " : "";
    return "The card details were not accepted. " + detail + "Check the card number, expiry date and security code. Nothing has been charged.";
  }

  function afterConfirm(answer) {
    if (answer.error) {
      fail((answer.error.message || "The payment could not be confirmed.") + " Nothing has been charged.");
    } else if (answer.status === "succeeded" || answer.status === "processing") {
      done();
    } else if (answer.status === "requires_action") {
      working.textContent = "Your bank asks you to confirm this payment…";
      return stripe.confirmCardPayment(answer.client_secret).then(function (result) {
        if (result.error) {
          fail(
            "Your bank did not confirm the payment (" +
              (result.error.message || "authentication failed") +
              "). Nothing has been charged; try again or use another card.",
          );
        } else {
          done();
        }
      });
    } else if (answer.status === "declined") {
      fail(
        "Declined: " +
          (answer.message || "the card was declined.") +
          " Nothing has been charged. Try another card, or call the bank that issued this card.",
      );
    } else {
      fail("The card was not accepted. Nothing has been charged. Try another card.");
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    busy = true;
    button.disabled = true;
    errors.textContent = "";
    working.textContent = "Checking the card…";
    stripe
      .createToken(card)
      .then(function (result) {
        if (result.error || !result.token) {
          fail(cardProblem(result.error));
          return;
        }
        working.textContent = "Paying…";
        var body = new URLSearchParams();
        body.set("token", result.token.id);
        return fetch(confirmUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrf ? csrf.value : "", Accept: "application/json" },
          body: body,
        })
          .then(function (response) {
            return response.json();
          })
          .then(afterConfirm);
      })
      .catch(function () {
        fail("The payment could not be sent (network problem). Check this payment's status before trying again.");
      });
  });
})();
