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
// A refusal (403) says why in plain text (claims/views/errors.py): that goes into the
// panel the action came from, as well as the live region.
document.addEventListener("htmx:responseError", (event) => {
  const xhr = event.detail.xhr;
  const status = xhr.status;
  const plain = (xhr.getResponseHeader("Content-Type") || "").startsWith("text/plain");
  const text = status === 403 ? (plain && xhr.responseText) || "You don't have permission to do that."
    : status === 413 ? "That was too large to send, so nothing was saved; shorten it and try again."
    : `Something went wrong (${status}). Nothing was saved; reload the page and try again.`;
  showFlash(text);
  const target = event.detail.target;
  if (status === 403 && target && target.classList.contains("panel")) {
    let notice = target.querySelector(".refusal");
    if (!notice) {
      notice = document.createElement("p");
      notice.className = "refusal error";
      notice.setAttribute("role", "alert");
      const heading = target.querySelector("h2");
      if (heading) heading.after(notice); else target.prepend(notice);
    }
    notice.textContent = text;
  }
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

// A form marked data-submit-on-change (the board's filters) is sent when a choice changes:
// a select, a checkbox. A text or number box is sent with Enter or the button only, so
// Enter sends one request, not a change and a submit.
document.addEventListener("change", (event) => {
  const field = event.target;
  const form = field.form;
  if (!form || !form.hasAttribute("data-submit-on-change")) return;
  if (field.matches("select, input[type=checkbox], input[type=radio]")) form.requestSubmit();
});

// After an action sent from a panel (a POST), keyboard focus goes to the panel's heading
// rather than the top of the document (the button pressed was replaced with the panel),
// and the live region (#flash, base.html) says what happened: the answer brings the
// message into it.
document.addEventListener("htmx:afterSettle", (event) => {
  const config = event.detail.requestConfig;
  const target = event.detail.target;
  if (!config || config.verb !== "post" || !target || !target.id) return;
  const panel = document.getElementById(target.id);
  if (!panel || !panel.classList.contains("panel")) return;
  const heading = panel.querySelector("h2") || panel;
  heading.setAttribute("tabindex", "-1");
  heading.focus();
});

// The board's filters leave out what is not chosen, so the URL names only the filters in
// use (?dismissed=on rather than ?status=&assignee=&…&dismissed=on).
document.addEventListener("htmx:configRequest", (event) => {
  const form = event.detail.elt;
  if (!form.hasAttribute || !form.hasAttribute("data-submit-on-change")) return;
  const params = event.detail.parameters;
  for (const name of [...params.keys()]) {
    if (params.getAll(name).every((value) => value === "")) params.delete(name);
  }
});
