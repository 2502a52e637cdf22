// The picture picker window of the body editor: a choice is handed back to
// the editor's figure dialog through the CKEditor-style callback that
// django-prose-editor's "Browse…" button listens for, then the window closes.
document.addEventListener("click", (event) => {
  const choice = event.target.closest(".image-picker__choice")
  if (!choice) return
  const picker = choice.closest(".image-picker")
  const callback = window.opener?.CKEDITOR?.tools?.callFunction
  if (!callback) return
  callback(picker.dataset.funcNum, choice.dataset.url, {
    id: choice.dataset.id,
    alternative_text: choice.dataset.alt,
    caption: choice.dataset.caption,
  })
  window.close()
})
