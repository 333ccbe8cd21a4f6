// Back and Forward show the page that the address names.
//
// The list's dialog (post-dialog.js) gives each post it opens a history entry
// of its own, in the list's document. Reloading at such an entry loads the
// post's page as a new document, yet the browser still counts the entries
// around it as this document's: Back and Forward between them only change the
// address and fire popstate. So on every page, an entry whose address this
// document does not show (its own, or a post its dialog opens) is loaded.
const shownAt = location.pathname + location.search;

window.addEventListener("popstate", (event) => {
  if (location.pathname + location.search === shownAt) return; // maybe another #fragment
  if (event.state?.postId && document.getElementById("post-dialog")) return;
  location.reload();
});
