// Admin console helpers (no inline scripts: the CSP allows only 'self').
document.addEventListener("click", async (e) => {
  const btn = e.target.closest("[data-copy]");
  if (!btn) return;
  const field = document.getElementById(btn.dataset.copy);
  const status = document.querySelector("[data-copy-status]");
  try {
    await navigator.clipboard.writeText(field.value);
    if (status) status.textContent = "Copied to the clipboard.";
  } catch {
    field.select();
    if (status) status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected key.";
  }
});
