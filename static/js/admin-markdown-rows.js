// The live preview for answers added with "Add another" on a post's page.
//
// markdownx starts an editor for every `.markdownx` element once, when the page
// loads, and marks each with data-markdownx-init. A new inline row is a copy of
// the formset's hidden empty form: it carries that mark but none of the
// editor's listeners. So the mark is taken off the copy and markdownx's own
// script is run again; it starts only the editors that are not marked.
document.addEventListener("formset:added", (event) => {
  const editors = event.target.querySelectorAll(".markdownx-editor[data-markdownx-init]");
  if (editors.length === 0) return;
  editors.forEach((editor) => editor.removeAttribute("data-markdownx-init"));
  const markdownx = document.querySelector('script[src*="markdownx/js/markdownx"]');
  const again = document.createElement("script");
  again.src = markdownx.src;
  document.head.append(again);
});
