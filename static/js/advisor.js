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
      const fresh = document
        .createRange()
        .createContextualFragment(html)
        .getElementById("advisor-result");
      const shown = document.getElementById("advisor-result");
      if (!fresh || !shown) return;
      // The contents change, not the element: screen readers announce changes
      // inside a live region, not a new region put in its place.
      shown.replaceChildren(...fresh.childNodes);
      markInvalidFields(fresh.dataset.invalidFields.split(" ").filter(Boolean));
      history.replaceState(null, "", `${form.action}?${query}`);
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    }
  }

  // The result lists what is wrong; the fields it names are marked here, and
  // the messages the page was first served with go, since they may be stale.
  function markInvalidFields(ids) {
    form.querySelectorAll(".field__error, .form-errors").forEach((old) => old.remove());
    for (const field of form.querySelectorAll(".field")) {
      const input = field.querySelector("input, select, textarea");
      const invalid = input !== null && ids.includes(input.id);
      field.classList.toggle("field--error", invalid);
      if (invalid) input.setAttribute("aria-invalid", "true");
      else input?.removeAttribute("aria-invalid");
    }
  }

  // Fields that only matter in one case say so (data-show-when="name=value",
  // set by the form): the GPU count for NVIDIA GPUs, the model's own shape
  // when no catalogued model is chosen. Without this script they stay visible
  // and the server ignores what does not apply.
  function showRelevantFields() {
    for (const input of form.querySelectorAll("[data-show-when]")) {
      const [name, value] = input.dataset.showWhen.split("=");
      const field = input.closest(".field");
      if (field) field.hidden = form.elements[name]?.value !== value;
    }
  }
  showRelevantFields();

  form.addEventListener("input", () => {
    showRelevantFields();
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    update();
  });
}
