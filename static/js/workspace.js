// Panels that hold what the user is typing (wording, verdict, sources) are not re-fetched
// after each action, so their version fields would go stale. The status panel is, and
// carries the claim's current version; but a conflict answer puts the current version
// into its own form before the status panel has caught up. Versions only grow: send the
// newer of the two. (Without JavaScript every action reloads the page, so the forms' own
// version fields are current.)
document.addEventListener("htmx:configRequest", (event) => {
  const current = document.getElementById("claim-version");
  const form = event.detail.elt.closest("form");
  const own = form && form.querySelector("input[name=version]");
  if (current && own) {
    event.detail.parameters.version = String(Math.max(Number(current.value), Number(own.value)));
  }
});

// Tell the user when an htmx action fails with an answer htmx does not swap (403, 500, …)
// or no answer at all, instead of leaving the page silently unchanged.
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  const text = status === 403 ? "You don't have permission to do that."
    : status === 413 ? "That was too large to send, so nothing was saved; shorten it and try again."
    : `Something went wrong (${status}). Nothing was saved; reload the page and try again.`;
  showFlash(text);
});
document.addEventListener("htmx:sendError", () => {
  showFlash("The server can't be reached. Nothing was saved; try again.");
});

function showFlash(text) {
  const flash = document.getElementById("flash");
  if (!flash) return;
  const line = document.createElement("p");
  line.className = "flash-error";
  line.textContent = text;
  flash.replaceChildren(line);
}
