// The "Headless frontend" preview (templates/wagtail_headless_preview/preview.html): when nothing
// answers at the frontend's address, say what to run instead of showing the browser's error page.
// A no-cors request reads nothing of the answer; it only fails when no server answers at all.
(() => {
  "use strict";
  const frame = document.getElementById("headless-preview");
  const notice = document.getElementById("headless-unreachable");
  let origin;
  try {
    origin = new URL(frame.src).origin;
  } catch {
    origin = frame.getAttribute("src");
  }
  for (const node of document.querySelectorAll("[data-client-origin]")) node.textContent = origin;
  fetch(frame.src, { mode: "no-cors", credentials: "omit", cache: "no-store" }).catch(() => {
    frame.hidden = true;
    frame.removeAttribute("src");
    notice.hidden = false;
  });
})();
