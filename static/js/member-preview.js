// A member's live preview: the server renders the Markdown through the same
// pipeline as published HTML (and sanitizes it), so what is shown here is what
// readers will see. Without this script the form works the same, without a
// preview. Each request aborts the one before, so a slow answer never replaces
// a newer one.

const source = document.querySelector("textarea[data-markdown-preview]");
const panel = document.querySelector("[data-preview-url]");

if (source && panel) {
  const output = panel.querySelector("[data-preview-output]");
  const token = source.form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let controller = null;
  let timer = null;

  async function update() {
    controller?.abort();
    const request = (controller = new AbortController());
    const body = new FormData();
    body.append("content", source.value);
    try {
      const response = await fetch(panel.dataset.previewUrl, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": token },
        signal: request.signal,
      });
      if (request !== controller) return;
      if (!response.ok) {
        const answer = await response.json().catch(() => ({}));
        output.replaceChildren(document.createTextNode(answer.error || "미리보기를 만들지 못했습니다."));
      } else {
        // Parsed inertly (DOMParser runs nothing) before it is shown.
        const parsed = new DOMParser().parseFromString(await response.text(), "text/html");
        if (request !== controller) return;
        output.replaceChildren(...parsed.body.childNodes);
      }
      panel.hidden = false;
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    }
  }

  source.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  });
  if (source.value) update();
}
