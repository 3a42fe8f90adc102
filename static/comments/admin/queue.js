// The moderation queue's keyboard shortcuts (templates/comments/admin/queue.html).
// j / k: next / previous comment; a / r / s: approve / reject / spam the focused comment (only if
// that button is on its row, i.e. the action is valid from its state); x: tick its checkbox for a
// bulk action. Keys typed into a text field or with Ctrl, Alt or Meta are left alone. After an
// action the page reloads; the comment now at the same place gets the focus, so a moderator can
// work down the queue without a mouse.
(() => {
  "use strict";
  const ROW = "[data-queue-row]";
  const ACTIONS = { a: "approve", r: "reject", s: "spam" };
  const REMEMBER = "comments-queue-focus";

  const rows = () => Array.from(document.querySelectorAll(ROW));

  function focusRow(row) {
    rows().forEach((other) => { other.tabIndex = -1; });
    row.tabIndex = 0;
    row.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  function prepare() {
    const list = rows();
    list.forEach((row, index) => { row.tabIndex = index === 0 ? 0 : -1; });
    const remembered = window.sessionStorage.getItem(REMEMBER);
    window.sessionStorage.removeItem(REMEMBER);
    if (remembered !== null && list.length) {
      focusRow(list[Math.min(Number(remembered), list.length - 1)]);
    }
  }

  function typing(element) {
    if (!element || element.isContentEditable) return Boolean(element);
    if (element.tagName === "TEXTAREA" || element.tagName === "SELECT") return true;
    return element.tagName === "INPUT" && !["checkbox", "radio", "button", "submit"].includes(element.type);
  }

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented || typing(event.target)) return;
    const list = rows();
    if (!list.length) return;
    const row = event.target.closest ? event.target.closest(ROW) : null;
    const key = event.key;
    if (key === "j" || key === "k") {
      const index = row ? list.indexOf(row) : -1;
      const next = key === "j" ? Math.min(index + 1, list.length - 1) : Math.max(index - 1, 0);
      event.preventDefault();
      focusRow(list[next]);
      return;
    }
    if (!row) return;
    if (ACTIONS[key]) {
      const button = row.querySelector(`[data-queue-action="${ACTIONS[key]}"]`);
      if (button) {
        event.preventDefault();
        window.sessionStorage.setItem(REMEMBER, String(list.indexOf(row)));
        button.click();
      }
    } else if (key === "x") {
      const checkbox = row.querySelector("[data-bulk-action-checkbox]");
      if (checkbox) {
        event.preventDefault();
        checkbox.click();
      }
    }
  });

  document.addEventListener("DOMContentLoaded", prepare);
  document.addEventListener("w-swap:success", prepare); // filters and search replace the rows
})();
