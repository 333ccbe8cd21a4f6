// Opens a list item's post in a <dialog>, filled with the server-rendered
// article of that post. Links stay real links: without this script, or with a
// modifier key held, they open the post's own page.
//
// The dialog can only ever show the post that was clicked last:
//  - each open aborts the previous request (AbortController), and a response
//    is used only while its request is still the current one;
//  - the body is emptied to a loading state before anything is fetched;
//  - the fetched article must carry the clicked post's data-post-id.

const dialog = document.getElementById("post-dialog");

if (dialog) {
  const body = dialog.querySelector("[data-dialog-body]");
  const permalink = dialog.querySelector("[data-dialog-permalink]");
  const loadingTemplate = document.getElementById("post-dialog-loading");
  const errorTemplate = document.getElementById("post-dialog-error");
  let current = null; // { postId, controller }
  let opener = null;
  const listTitle = document.title;

  const itemFor = (postId) =>
    document.querySelector(`.post-item[data-post-id="${CSS.escape(postId)}"]`);

  function showTemplate(template) {
    body.replaceChildren(template.content.cloneNode(true));
  }

  function showError(url) {
    showTemplate(errorTemplate);
    body.querySelector("[data-dialog-error-link]").href = url;
    dialog.setAttribute("aria-label", "글을 불러오지 못했습니다");
    dialog.removeAttribute("aria-labelledby");
  }

  async function openPost({ postId, url, modalUrl }) {
    current?.controller.abort();
    const request = { postId, controller: new AbortController() };
    current = request;

    showTemplate(loadingTemplate);
    dialog.setAttribute("aria-busy", "true");
    dialog.setAttribute("aria-label", "글을 불러오는 중");
    dialog.removeAttribute("aria-labelledby");
    permalink.href = url;
    if (!dialog.open) dialog.showModal();

    try {
      const response = await fetch(modalUrl, {
        signal: request.controller.signal,
        headers: { Accept: "text/html" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const html = await response.text();
      if (current !== request) return;

      const fragment = document.createRange().createContextualFragment(html);
      const article = fragment.querySelector("[data-post-id]");
      if (!article || article.dataset.postId !== postId) throw new Error("post mismatch");
      body.replaceChildren(fragment);
      body.scrollTop = 0;
      dialog.scrollTop = 0;
      const title = article.querySelector("h1[id]");
      if (title) {
        dialog.removeAttribute("aria-label");
        dialog.setAttribute("aria-labelledby", title.id);
        // The address is the post's now, so the tab and the history entry name it too.
        document.title = `${title.textContent.trim()} · AiNex`;
      }
    } catch (error) {
      if (error.name === "AbortError" || current !== request) return;
      showError(url);
    } finally {
      if (current === request) dialog.removeAttribute("aria-busy");
    }
  }

  // All closing happens here, synchronously: the dialog's own "close" event
  // fires later, and could land after Forward has already reopened it.
  function closeDialog() {
    current?.controller.abort();
    current = null;
    if (!dialog.open) return;
    dialog.close();
    body.replaceChildren();
    document.title = listTitle;
    opener?.focus();
  }

  // Closing by Esc or the button goes back in history, so Back and Forward
  // stay in step with what is on screen; popstate then closes the dialog.
  // One step back per close, however many ways (Esc, button, backdrop) it is
  // asked for before the popstate arrives: a second step would leave the list.
  let goingBack = false;
  function requestClose() {
    if (goingBack) return;
    if (history.state?.postId) {
      goingBack = true;
      history.back();
    } else {
      closeDialog();
    }
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest?.(".post-item__link[data-modal-url]");
    if (!link || event.defaultPrevented) return;
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    const postId = link.closest("[data-post-id]")?.dataset.postId;
    if (!postId) return;
    event.preventDefault();
    opener = link;
    const state = { postId, url: link.href, modalUrl: link.dataset.modalUrl };
    if (history.state?.postId) history.replaceState(state, "", link.href);
    else history.pushState(state, "", link.href);
    openPost(state);
  });

  window.addEventListener("popstate", (event) => {
    goingBack = false;
    const state = event.state;
    if (state?.postId) {
      opener = itemFor(state.postId)?.querySelector(".post-item__link") ?? opener;
      openPost(state);
    } else {
      closeDialog();
    }
  });

  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    requestClose();
  });

  dialog.querySelector("[data-dialog-close]").addEventListener("click", requestClose);

  // A click on the backdrop (outside the dialog's box) closes it too, but only
  // one that was also pressed there: selecting text and letting go outside the
  // box is not a click on the backdrop. Nor is the second click of the double
  // click that opened the dialog, which lands wherever the link was.
  const onBackdrop = (event) => {
    if (event.target !== dialog) return false;
    const box = dialog.getBoundingClientRect();
    return !(
      event.clientX >= box.left && event.clientX <= box.right &&
      event.clientY >= box.top && event.clientY <= box.bottom
    );
  };
  let pressedOnBackdrop = false;
  dialog.addEventListener("pointerdown", (event) => {
    pressedOnBackdrop = onBackdrop(event);
  });
  dialog.addEventListener("click", (event) => {
    if (pressedOnBackdrop && event.detail === 1 && onBackdrop(event)) requestClose();
    pressedOnBackdrop = false;
  });
}
