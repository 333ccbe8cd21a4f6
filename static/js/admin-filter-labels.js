// The filter boxes of a many-to-many picker (filter_horizontal) are named by
// an icon inside their <label>: a <span> that Django's SelectFilter2 gives an
// aria-label. ARIA forbids a label on a span with no role, so assistive
// technology may drop it (axe: aria-prohibited-attr). As an image, the icon
// keeps its text, and the box its name.
//
// SelectFilter2 builds the pickers on "load", after this script's listener
// was added (form media comes after the admin's own), hence the extra turn.
window.addEventListener("load", () => {
  setTimeout(() => {
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
  });
});
