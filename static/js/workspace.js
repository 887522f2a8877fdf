// Each form posts the version of the claim it was loaded with, and the server refuses a
// stale one with the conflict panel. Two things keep that honest without reloading.
//
// Every answer brings back the parts of the page that show the claim, the status panel
// with its version (#claim-version) among them. When your own change answers that the
// claim is now at `to`, one more than the page showed, that change was the only one
// since: the forms still at the page's version showed the claim just before it, and it
// changed nothing they show, so they stand for `to` now. When `to` is further on,
// someone else changed the claim too, and those forms stay where they are (sending one
// is then a conflict). A note does not move the version and says no `to`.
document.body.addEventListener("claim-changed", (event) => {
  const shown = document.getElementById("claim-version");
  const to = event.detail.to;
  if (!shown || to === undefined) return;
  const from = Number(shown.value);
  if (to !== from + 1) return;
  for (const input of document.querySelectorAll("input[name=version]")) {
    if (Number(input.value) === from) input.value = String(to);
  }
});

// A form that holds typing says so when it is older than the claim the page now shows
// (the status panel's version, refreshed by every answer).
document.addEventListener("htmx:afterSettle", () => {
  const shown = document.getElementById("claim-version");
  if (!shown) return;
  for (const notice of document.querySelectorAll("[data-stale-form]")) {
    const form = document.getElementById(notice.dataset.staleForm);
    const version = form && form.elements.namedItem("version");
    notice.hidden = !version || Number(version.value) >= Number(shown.value);
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
