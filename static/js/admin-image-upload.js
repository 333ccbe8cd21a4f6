// Pictures dropped or pasted into an admin Markdown editor.
//
// markdownx uploads them itself, but writes "Invalid response" into the text
// whenever the server refuses a file. This script takes the drop or paste
// first (capturing it on the document, before it reaches the editor), sends
// the file to the same endpoint, and puts either the picture's Markdown at the
// cursor or the server's Korean reason beside the editor: never into the text.
(() => {
  const EDITOR = "textarea.markdownx-editor";

  function csrfToken() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function statusFor(editor) {
    let status = editor.parentElement.querySelector(".markdown-upload-status");
    if (!status) {
      status = document.createElement("p");
      status.className = "markdown-upload-status";
      status.setAttribute("role", "status");
      editor.insertAdjacentElement("afterend", status);
    }
    return status;
  }

  function say(editor, message, isError) {
    const status = statusFor(editor);
    status.textContent = message;
    status.classList.toggle("markdown-upload-status--error", isError);
    status.setAttribute("role", isError ? "alert" : "status");
  }

  function insertAtCursor(editor, text) {
    const start = editor.selectionStart;
    const end = editor.selectionEnd;
    editor.value = editor.value.slice(0, start) + text + editor.value.slice(end);
    editor.selectionStart = editor.selectionEnd = start + text.length;
    // markdownx refreshes its preview on these.
    editor.dispatchEvent(new Event("input", { bubbles: true }));
    editor.dispatchEvent(new Event("keyup", { bubbles: true }));
  }

  async function upload(editor, file) {
    const limit = Number(editor.dataset.imageMaxBytes || 0);
    if (limit && file.size > limit) {
      const megabytes = Math.floor(limit / (1024 * 1024));
      say(editor, `이미지가 너무 큽니다. ${megabytes}MB 이하만 올릴 수 있습니다.`, true);
      return;
    }
    say(editor, `${file.name} 올리는 중…`, false);
    const body = new FormData();
    body.append("image", file);
    let answer = {};
    let ok = false;
    try {
      const response = await fetch(editor.dataset.markdownxUploadUrlsPath, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
      });
      ok = response.ok;
      answer = await response.json().catch(() => ({}));
    } catch {
      answer = { error: "서버에 연결하지 못해 이미지를 올리지 못했습니다." };
    }
    if (ok && answer.image_code) {
      insertAtCursor(editor, answer.image_code);
      say(editor, `${file.name}을(를) 올렸습니다. 대체 텍스트([ ] 안)를 그림 설명으로 고쳐 주세요.`, false);
    } else {
      say(editor, answer.error || "이미지를 올리지 못했습니다.", true);
    }
  }

  function takeFiles(event, files) {
    const editor = event.target.closest && event.target.closest(EDITOR);
    if (!editor || !files || files.length === 0) return;
    event.preventDefault();
    event.stopPropagation();
    Array.from(files).forEach((file) => upload(editor, file));
  }

  document.addEventListener("drop", (event) => takeFiles(event, event.dataTransfer.files), true);
  document.addEventListener("paste", (event) => takeFiles(event, event.clipboardData.files), true);
})();
