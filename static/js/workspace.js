// Tell the user when an htmx action fails with an answer htmx does not swap (403, 500, …)
// or no answer at all, instead of leaving the page silently unchanged.
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  const text = status === 403 ? "You don't have permission to do that."
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
