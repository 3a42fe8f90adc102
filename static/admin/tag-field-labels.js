// Wagtail's tag field (jQuery tag-it) draws its own text input with no label, which screen readers announce
// as an unnamed edit box (axe: "label", critical). Give each one the name of its field once tag-it has drawn it.
(function () {
  function label(input) {
    if (input.hasAttribute('aria-label')) return;
    var field = input.closest('[data-field-wrapper], .w-field__wrapper');
    var text = field && field.querySelector('label');
    input.setAttribute('aria-label', text ? text.textContent.trim() : 'Tags');
  }
  function labelAll(root) {
    root.querySelectorAll('.tagit input.ui-autocomplete-input').forEach(label);
  }
  new MutationObserver(function () { labelAll(document); }).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  document.addEventListener('DOMContentLoaded', function () { labelAll(document); });
})();
