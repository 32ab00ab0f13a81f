// The page of a copy a task worker is making (portal/extract/jobs.py): while it is being
// made, ask the server twice a second how far it is: a new step (a worker has started) is
// shown as it comes, and when the copy is ready, the part of the page that offers the
// download. Without script the page's "Check again" link does the same by hand.
(function () {
  var main = document.querySelector("[data-job-state=pending]");
  if (!main || !window.fetch || !window.DOMParser) return;
  function check() {
    fetch(window.location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (text) {
        var next = new DOMParser().parseFromString(text, "text/html");
        var state = next.querySelector("[data-job-state]");
        if (!state) {
          window.setTimeout(check, 2000);
          return;
        }
        var pending = state.getAttribute("data-job-state") === "pending";
        var moved = state.getAttribute("data-job-stage") !== main.getAttribute("data-job-stage");
        if (!pending || moved) {
          // The same live region keeps its place, so that its new words are announced.
          main.replaceChildren.apply(main, Array.prototype.map.call(state.childNodes, function (node) {
            return document.importNode(node, true);
          }));
          main.setAttribute("data-job-state", state.getAttribute("data-job-state"));
          if (pending) main.setAttribute("data-job-stage", state.getAttribute("data-job-stage"));
          else main.removeAttribute("data-job-stage");
        }
        if (pending) window.setTimeout(check, 500);
      })
      .catch(function () { window.setTimeout(check, 2000); });
  }
  window.setTimeout(check, 500);
})();
