// Recomputes the advisor's result while the reader types. The form is a plain
// GET form: without this script it submits and the server renders the same
// result. Each update aborts the one before, so a slow answer never replaces
// a newer one, and the address bar keeps the shareable URL of what is shown.

const form = document.querySelector("form[data-result-url]");

if (form) {
  let controller = null;
  let timer = null;

  async function update() {
    const query = new URLSearchParams(new FormData(form)).toString();
    controller?.abort();
    const request = (controller = new AbortController());
    try {
      const response = await fetch(`${form.dataset.resultUrl}?${query}`, {
        signal: request.signal,
        headers: { Accept: "text/html" },
      });
      if (!response.ok || request !== controller) return;
      const html = await response.text();
      if (request !== controller) return;
      const fresh = document.createRange().createContextualFragment(html);
      document.getElementById("advisor-result")?.replaceWith(fresh);
      history.replaceState(null, "", `${form.action}?${query}`);
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    }
  }

  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    update();
  });
}
