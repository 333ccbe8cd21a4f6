// Links between a correction and the wrong answer it replaced.
//
// The wrong answer is a closed <details>, and a browser does not open one for
// a link to it. This opens it, scrolls to it and moves focus there, on the
// post page and in the list's dialog alike. The address is left as it is: in
// the dialog it names the post, and the dialog's history depends on that.
const reveal = (target) => {
  if (target instanceof HTMLDetailsElement) {
    target.open = true;
    target.scrollIntoView({ block: "start" });
    target.querySelector("summary").focus();
  } else {
    target.setAttribute("tabindex", "-1");
    target.scrollIntoView({ block: "start" });
    target.focus();
  }
};

document.addEventListener("click", (event) => {
  const link = event.target.closest('a[href^="#answer-"]');
  const target = link && document.getElementById(link.hash.slice(1));
  if (!target) return;
  event.preventDefault();
  reveal(target);
});

// A shared link to a wrong answer (…/#answer-…) opens it too.
const linked = window.location.hash.startsWith("#answer-")
  ? document.getElementById(window.location.hash.slice(1))
  : null;
if (linked) reveal(linked);
