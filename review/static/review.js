// Keyboard review: j/k next/previous card, a accept, r reject, e edit. No network beyond form posts.
(function () {
  "use strict";
  var cards = [];
  var current = -1;

  function select(index, keepScroll) {
    if (!cards.length) { return; }
    index = Math.max(0, Math.min(cards.length - 1, index));
    if (current >= 0 && cards[current]) { cards[current].classList.remove("current"); }
    current = index;
    cards[current].classList.add("current");
    cards[current].focus({ preventScroll: true });
    if (!keepScroll) { cards[current].scrollIntoView({ block: "nearest" }); }
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function decide(value) {
    var card = cards[current];
    if (!card) { return; }
    var form = card.querySelector("form.decide");
    var button = form && form.querySelector('button[value="' + value + '"]');
    if (button) { form.requestSubmit(button); }
  }

  function edit() {
    var card = cards[current];
    var details = card && card.querySelector("details.edit");
    if (!details) { return; }
    details.open = true;
    var first = details.querySelector("select, input[type=text]");
    if (first) { first.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    cards = Array.prototype.slice.call(document.querySelectorAll(".claim-card"));
    cards.forEach(function (card, i) {
      card.addEventListener("click", function () { if (current !== i) { select(i); } });
    });
    var start = 0;
    var keepScroll = false;
    if (location.hash.length > 1) {
      var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      var found = cards.indexOf(target);
      if (found >= 0) { start = found; } else { keepScroll = target !== null; }
    }
    if (cards.length) { select(start, keepScroll); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "a": decide("accepted"); break;
      case "r": decide("rejected"); break;
      case "e": edit(); event.preventDefault(); break;
      default: return;
    }
  });
})();
