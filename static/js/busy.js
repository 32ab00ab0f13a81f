// A form marked data-busy-label shows that its work is under way: on submit its button is
// disabled (a second click sends nothing) and says what is happening. Without script the
// form posts as usual, and the server gives a repeated click the copy already made.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var label = form.getAttribute("data-busy-label");
  if (!label) return;
  var button = form.querySelector("button[type=submit]");
  if (!button) return;
  var idle = button.textContent;
  // Disabled after this event, so the browser still sends the form.
  window.setTimeout(function () {
    button.disabled = true;
    button.textContent = label;
    form.setAttribute("aria-busy", "true");
  }, 0);
  // A download leaves the page in place: the button comes back once the file has had time
  // to arrive (a click meanwhile would get the same copy anyway).
  window.setTimeout(function () {
    button.disabled = false;
    button.textContent = idle;
    form.removeAttribute("aria-busy");
  }, 15000);
});
