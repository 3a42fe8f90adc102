// Starts Redoc on /api/docs/ (cms/api_docs.py). A script file rather than Redoc's inline call or its
// <redoc> element: the page allows no inline script, and Chromium hides a nonce attribute from
// getAttribute, so only this element's `nonce` property can hand Redoc the nonce its styles need.
(function () {
  "use strict";
  // Redoc's menu footer loads Redocly's logo from their CDN: the page makes no request off the site.
  function offSite(value) {
    return String(value).indexOf("https://cdn.redoc.ly/") === 0;
  }
  var setAttribute = Element.prototype.setAttribute;
  HTMLImageElement.prototype.setAttribute = function (name, value) {
    if (name.toLowerCase() === "src" && offSite(value)) {
      this.hidden = true;
      return;
    }
    setAttribute.call(this, name, value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    get: src.get,
    set: function (value) {
      if (offSite(value)) {
        this.hidden = true;
        return;
      }
      src.set.call(this, value);
    },
  });
  var container = document.getElementById("redoc-container");
  window.Redoc.init(container.dataset.specUrl, { nonce: document.currentScript.nonce }, container);
})();
