/* <cms-comments page="ID" api="https://cms.example">: the moderated comment thread on any site.
 *
 * No framework, no inline script or style, no eval: it runs under a strict CSP (docs/widget.md).
 * Everything from the API reaches the page as text nodes; a comment's sanitized HTML is parsed in an
 * inert document and rebuilt from an allowlist of elements, never assigned to innerHTML.
 * A reader's own pending comments live in their localStorage only, from the POST's answer.
 */
(() => {
  "use strict";
  const SCRIPT = document.currentScript; // null once this function returns: read it now
  const SCRIPT_ORIGIN = SCRIPT && SCRIPT.src ? new URL(SCRIPT.src, location.href).origin : location.origin;
  const KEEP_PENDING_DAYS = 30;
  const TAGS = new Set(["a", "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li"]);
  const REASONS = [
    ["spam", "Spam or advertising"],
    ["abuse", "Abusive or hateful"],
    ["off_topic", "Off topic"],
    ["privacy", "Shares private information"],
    ["other", "Something else"],
  ];
  const FIELDS = [
    { name: "name", label: "Name", type: "text", autocomplete: "name", required: true, maxLength: 50 },
    { name: "email", label: "E-mail (never shown)", type: "email", autocomplete: "email", required: true },
    { name: "url", label: "Website (optional)", type: "url", autocomplete: "url", maxLength: 200 },
    { name: "body", label: "Comment", type: "textarea", required: true, maxLength: 3000 },
  ];
  const CSS = `
:host { display: block; font: var(--cms-comments-font, inherit); color: var(--cms-comments-color, inherit);
  --_accent: var(--cms-comments-accent, #1d4ed8); --_border: var(--cms-comments-border, #d1d5db);
  --_muted: var(--cms-comments-muted, #4b5563); --_error: var(--cms-comments-error, #b91c1c);
  --_radius: var(--cms-comments-radius, 0.375rem); --_gap: var(--cms-comments-gap, 1rem); }
[hidden] { display: none !important; }
h2, h3 { margin: 0 0 var(--_gap); }
ol { list-style: none; margin: 0; padding: 0; }
[part~="replies"] { margin-left: var(--cms-comments-indent, 1.5rem); padding-left: 0.75rem;
  border-left: 2px solid var(--_border); }
[part~="comment"] { margin: 0 0 var(--_gap); }
[part~="comment"] > article { padding: 0.75rem; border: 1px solid var(--_border); border-radius: var(--_radius);
  background: var(--cms-comments-background, transparent); }
[part~="pending"] > article { border-style: dashed; background: var(--cms-comments-pending-background, #fffbeb); }
[part~="meta"] { color: var(--_muted); font-size: 0.875em; display: flex; gap: 0.5rem; flex-wrap: wrap; }
[part~="author"] { font-weight: 600; color: var(--cms-comments-color, inherit); }
[part~="badge"] { font-weight: 600; color: var(--cms-comments-pending-color, #92400e); }
[part~="actions"], [part~="pagination"] { display: flex; gap: 0.5rem; align-items: center; margin-top: 0.5rem; }
[part~="form"], [part~="report-form"] { display: grid; gap: 0.75rem; margin: var(--_gap) 0; max-width: 40rem; }
label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
input:not([type="checkbox"]), textarea, select { box-sizing: border-box; width: 100%; font: inherit;
  padding: 0.4rem 0.5rem; border: 1px solid var(--_border); border-radius: var(--_radius); }
textarea { min-height: 7rem; }
[aria-invalid="true"] { border-color: var(--_error); }
[part~="field-error"], [part~="form-error"] { color: var(--_error); margin: 0.25rem 0 0; }
[part~="notice"] { padding: 0.75rem; border-radius: var(--_radius); background: var(--cms-comments-notice-background, #ecfdf5); }
button { font: inherit; cursor: pointer; padding: 0.35rem 0.8rem; border-radius: var(--_radius);
  border: 1px solid var(--_accent); background: var(--cms-comments-button-background, var(--_accent));
  color: var(--cms-comments-button-color, #fff); }
button[part~="link-button"] { background: none; color: var(--_accent); border-color: transparent; padding: 0.1rem 0.3rem; }
button:disabled { opacity: 0.6; cursor: progress; }
:focus-visible { outline: 3px solid var(--cms-comments-focus, var(--_accent)); outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;
  let sheet = null;

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key in node && typeof value !== "string") node[key] = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  }

  function safeHref(href) {
    try {
      const url = new URL(href, location.href);
      return ["http:", "https:", "mailto:"].includes(url.protocol) ? url.href : null;
    } catch {
      return null;
    }
  }

  /** Sanitized HTML from the API, rebuilt from allowed elements and text nodes only. */
  function richText(html) {
    const parsed = new DOMParser().parseFromString(toTrusted(html), "text/html");
    const copy = (source, target) => {
      for (const child of source.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) target.append(child.data);
        else if (child.nodeType === Node.ELEMENT_NODE) {
          const tag = child.localName;
          if (!TAGS.has(tag)) {
            copy(child, target);
            continue;
          }
          const node = document.createElement(tag);
          if (tag === "a") {
            const href = safeHref(child.getAttribute("href") || "");
            if (href) node.href = href;
            node.rel = "nofollow ugc noopener noreferrer";
          }
          copy(child, node);
          target.append(node);
        }
      }
      return target;
    };
    return copy(parsed.body, el("div", { part: "body" }));
  }

  let policy;
  function toTrusted(html) {
    // Under `require-trusted-types-for 'script'`, allow the policy "cms-comments": its output is only
    // parsed in an inert document and rebuilt, never inserted.
    if (policy === undefined) {
      try {
        policy = window.trustedTypes ? window.trustedTypes.createPolicy("cms-comments", { createHTML: (s) => s }) : null;
      } catch {
        policy = null;
      }
    }
    return policy ? policy.createHTML(html) : html;
  }

  class PendingStore {
    constructor(api, page) {
      this.key = `cms-comments:${api}:${page}`;
    }
    all() {
      try {
        const cutoff = Date.now() - KEEP_PENDING_DAYS * 86400e3;
        return (JSON.parse(localStorage.getItem(this.key)) || []).filter((c) => Date.parse(c.created) > cutoff);
      } catch {
        return [];
      }
    }
    save(items) {
      try {
        if (items.length) localStorage.setItem(this.key, JSON.stringify(items));
        else localStorage.removeItem(this.key);
      } catch {
        /* storage full or disabled: the notice still said it awaits moderation */
      }
    }
    add(item) {
      this.save([...this.all().filter((c) => c.id !== item.id), item]);
    }
    forget(ids) {
      const all = this.all();
      const kept = all.filter((c) => !ids.has(c.id));
      if (kept.length !== all.length) this.save(kept);
    }
  }

  function describeFailure(status, data, retryAfter) {
    if (status === 0) return "The comment service could not be reached, or does not take comments from this site. Please try again later.";
    if (status === 429) {
      const wait = Number.parseInt(retryAfter || "", 10);
      return Number.isFinite(wait)
        ? `Too many posts from your network. Please try again in ${wait} seconds.`
        : "Too many posts from your network. Please wait a minute and try again.";
    }
    if (status === 503) return "Comments are unavailable for a moment. Please try again shortly.";
    if (status === 404) return "This comment or article no longer accepts comments.";
    if (status === 403) return "This site is not allowed to post comments.";
    return (data && data.detail) || `Something went wrong (error ${status}). Please try again.`;
  }

  function allIds(nodes, into = new Set()) {
    for (const node of nodes) {
      into.add(node.id);
      allIds(node.replies || [], into);
    }
    return into;
  }

  class CmsComments extends HTMLElement {
    static get observedAttributes() {
      return ["page", "api", "page-size"];
    }

    constructor() {
      super();
      this.offset = 0;
      this.count = 0;
      this.parent = null;
      const root = this.attachShadow({ mode: "open" });
      if ("adoptedStyleSheets" in root) {
        sheet = sheet || new CSSStyleSheet();
        if (!sheet.cssRules.length) sheet.replaceSync(CSS);
        root.adoptedStyleSheets = [sheet];
      }
      this.status = el("p", { role: "status", "aria-live": "polite", part: "status", class: "visually-hidden" });
      this.heading = el("h2", { part: "heading", tabindex: "-1", text: "Comments" });
      this.thread = el("ol", { part: "thread", "aria-label": "Comments" });
      this.empty = el("p", { part: "empty", hidden: true, text: "No comments yet. Be the first." });
      this.pager = el("nav", { part: "pagination", "aria-label": "Comment pages", hidden: true });
      this.mine = el("section", { part: "mine", hidden: true, "aria-label": "Your comments awaiting moderation" });
      this.form = this.buildForm();
      root.append(
        el("section", { part: "container" }, this.heading, this.status, this.empty, this.thread, this.pager, this.mine, this.form)
      );
    }

    get api() {
      return (this.getAttribute("api") || SCRIPT_ORIGIN).replace(/\/+$/, "");
    }

    get pageId() {
      return this.getAttribute("page");
    }

    get maxDepth() {
      return Number.parseInt(this.getAttribute("max-depth") || "3", 10);
    }

    connectedCallback() {
      if (this.ready) return; // moved in the document: the thread is already there
      this.ready = true;
      this.load();
    }

    attributeChangedCallback(_name, old, value) {
      if (this.ready && old !== value) {
        this.offset = 0;
        this.load();
      }
    }

    emit(name, detail) {
      this.dispatchEvent(new CustomEvent(`cms-comments:${name}`, { detail, bubbles: true, composed: true }));
    }

    announce(message) {
      this.status.textContent = "";
      // A fresh text node in the next frame, so that screen readers announce a repeated message.
      requestAnimationFrame(() => {
        this.status.textContent = message;
      });
    }

    async call(method, path, body) {
      const options = { method, mode: "cors", credentials: "omit", headers: { Accept: "application/json" } };
      if (body !== undefined) {
        options.headers["Content-Type"] = "application/json";
        options.body = JSON.stringify(body);
      }
      let response;
      try {
        response = await fetch(`${this.api}${path}`, options);
      } catch {
        return { ok: false, status: 0, data: null };
      }
      let data = null;
      try {
        data = await response.json();
      } catch {
        /* not JSON: a proxy's error page */
      }
      return { ok: response.ok, status: response.status, data, retryAfter: response.headers.get("Retry-After") };
    }

    async load({ focus = false } = {}) {
      if (!this.pageId) return;
      this.store = new PendingStore(this.api, this.pageId);
      const size = this.getAttribute("page-size");
      const query = new URLSearchParams({ page: this.pageId, offset: String(this.offset) });
      if (size) query.set("limit", size);
      this.thread.setAttribute("aria-busy", "true");
      const result = await this.call("GET", `/api/comments/?${query}`);
      this.thread.removeAttribute("aria-busy");
      if (!result.ok) {
        const message = describeFailure(result.status, result.data, result.retryAfter);
        this.empty.hidden = false;
        this.empty.textContent = result.status === 404 ? "Comments are closed for this article." : message;
        this.form.hidden = result.status === 404;
        this.emit("error", { status: result.status, message });
        return;
      }
      this.count = result.data.count;
      const link = result.data.next || result.data.previous;
      this.limit = Number(size) || (link ? Number(new URL(link).searchParams.get("limit")) : Math.max(result.data.results.length, 1));
      const seen = allIds(result.data.results);
      this.store.forget(seen); // approved now, and shown as such
      this.renderThread(result.data.results);
      this.renderPager();
      this.emit("loaded", { count: this.count, offset: this.offset });
      if (focus) this.heading.focus();
    }

    renderThread(nodes) {
      if (this.thread.contains(this.form)) {
        this.parent = null; // the comment replied to is being redrawn: the form goes back below
        this.replying.hidden = true;
        this.mine.after(this.form);
      }
      const pending = this.store.all();
      this.thread.replaceChildren(...nodes.map((node) => this.renderComment(node, pending)));
      this.empty.hidden = nodes.length > 0 || pending.length > 0;
      this.empty.textContent = "No comments yet. Be the first.";
      const placed = new Set([...this.thread.querySelectorAll("[data-pending]")].map((li) => Number(li.dataset.id)));
      const rest = pending.filter((c) => !placed.has(c.id));
      this.mine.hidden = rest.length === 0;
      this.mine.replaceChildren(
        el("h3", { text: "Your comments awaiting moderation" }),
        el("ol", { part: "thread mine-thread" }, ...rest.map((c) => this.renderPending(c)))
      );
    }

    renderComment(node, pending) {
      const labelId = `comment-${node.id}-author`;
      const article = el("article", { "aria-labelledby": labelId });
      if (node.removed) {
        article.append(el("p", { part: "removed", id: labelId, text: "This comment was removed." }));
      } else {
        const href = node.url && safeHref(node.url);
        const author = href
          ? el("a", { part: "author", id: labelId, href, rel: "nofollow ugc noopener noreferrer", text: node.name })
          : el("span", { part: "author", id: labelId, text: node.name });
        article.append(
          el("p", { part: "meta" }, author, this.time(node.created)),
          richText(node.body),
          this.actions(node)
        );
      }
      const replies = [
        ...(node.replies || []).map((reply) => this.renderComment(reply, pending)),
        ...pending.filter((c) => c.parent === node.id).map((c) => this.renderPending(c)),
      ];
      const li = el("li", { part: "comment", id: `comment-${node.id}`, "data-id": String(node.id) }, article);
      if (replies.length) li.append(el("ol", { part: "replies", "aria-label": `Replies to ${node.name || "a removed comment"}` }, ...replies));
      return li;
    }

    renderPending(comment) {
      const labelId = `comment-${comment.id}-author`;
      return el(
        "li",
        { part: "comment pending", id: `comment-${comment.id}`, "data-id": String(comment.id), "data-pending": "" },
        el(
          "article",
          { "aria-labelledby": labelId, tabindex: "-1" },
          el(
            "p",
            { part: "meta" },
            el("span", { part: "author", id: labelId, text: comment.name }),
            this.time(comment.created),
            el("span", { part: "badge", text: "Awaiting moderation" })
          ),
          el("div", { part: "body" }, ...comment.body.split(/\n{2,}/).map((text) => el("p", { text })))
        )
      );
    }

    time(iso) {
      const date = new Date(iso);
      const text = Number.isNaN(date.getTime())
        ? iso
        : new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: "medium", timeStyle: "short" }).format(date);
      return el("time", { part: "date", datetime: iso, text });
    }

    actions(node) {
      const bar = el("div", { part: "actions" });
      if (node.level + 1 < this.maxDepth) {
        bar.append(el("button", { type: "button", part: "link-button reply-button", text: "Reply", "aria-label": `Reply to ${node.name}`, onclick: () => this.replyTo(node) }));
      }
      const report = el("button", { type: "button", part: "link-button report-button", text: "Report", "aria-label": `Report the comment by ${node.name}`, "aria-expanded": "false" });
      report.addEventListener("click", () => this.toggleReport(node, bar, report));
      bar.append(report);
      return bar;
    }

    renderPager() {
      const pages = Math.max(1, Math.ceil(this.count / this.limit));
      const current = Math.floor(this.offset / this.limit) + 1;
      this.pager.hidden = pages <= 1;
      const go = (offset) => () => {
        this.offset = offset;
        this.load({ focus: true }).then(() => this.announce(`Page ${Math.floor(offset / this.limit) + 1} of ${pages}`));
      };
      this.pager.replaceChildren(
        el("button", { type: "button", part: "page-button", text: "Previous page", disabled: current <= 1, onclick: go(Math.max(0, this.offset - this.limit)) }),
        el("span", { part: "page-status", text: `Page ${current} of ${pages}` }),
        el("button", { type: "button", part: "page-button", text: "Next page", disabled: current >= pages, onclick: go(this.offset + this.limit) })
      );
    }

    fieldRow({ name, label, type, ...attrs }) {
      const id = `cms-comments-${name}`;
      const control =
        type === "textarea"
          ? el("textarea", { id, name, rows: "5", ...attrs, part: `input ${name}-input` })
          : el("input", { id, name, type, ...attrs, part: `input ${name}-input` });
      const error = el("p", { id: `${id}-error`, part: "field-error", hidden: true });
      control.setAttribute("aria-describedby", error.id);
      return el("div", { part: "field" }, el("label", { for: id, part: "label", text: label }), control, error);
    }

    buildForm() {
      this.replying = el("p", { part: "replying", hidden: true });
      this.formError = el("p", { part: "form-error", hidden: true, role: "alert" });
      this.notice = el("p", { part: "notice", hidden: true, tabindex: "-1" });
      this.submit = el("button", { type: "submit", part: "button submit-button", text: "Post comment" });
      const form = el(
        "form",
        { part: "form", novalidate: true, "aria-labelledby": "cms-comments-form-title" },
        el("h3", { id: "cms-comments-form-title", text: "Leave a comment" }),
        this.replying,
        this.notice,
        ...FIELDS.map((field) => this.fieldRow(field)),
        el("div", { part: "field" }, el("label", {}, el("input", { type: "checkbox", name: "followup", part: "checkbox" }), " E-mail me replies to this comment")),
        this.formError,
        el("div", { part: "actions" }, this.submit)
      );
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.post();
      });
      return form;
    }

    replyTo(node) {
      this.parent = node;
      const cancel = el("button", { type: "button", part: "link-button", text: "Cancel reply", onclick: () => this.cancelReply() });
      this.replying.replaceChildren(`Replying to ${node.name}. `, cancel);
      this.replying.hidden = false;
      this.notice.hidden = true;
      this.shadowRoot.getElementById(`comment-${node.id}`).querySelector("article").after(this.form);
      this.form.elements.body.focus();
    }

    cancelReply() {
      const node = this.parent;
      this.parent = null;
      this.replying.hidden = true;
      this.mine.after(this.form);
      const button = node && this.shadowRoot.querySelector(`#comment-${node.id} [part~="reply-button"]`);
      if (button) button.focus();
    }

    showErrors(form, errors) {
      let first = null;
      const loose = [];
      for (const [field, messages] of Object.entries(errors)) {
        const control = form.elements[field];
        const error = control && control.getAttribute && this.shadowRoot.getElementById(control.getAttribute("aria-describedby"));
        const text = [].concat(messages).join(" ");
        if (error) {
          error.textContent = text;
          error.hidden = false;
          control.setAttribute("aria-invalid", "true");
          first = first || control;
        } else loose.push(text);
      }
      return { first, loose };
    }

    clearErrors(form) {
      for (const error of form.querySelectorAll('[part~="field-error"]')) {
        error.hidden = true;
        error.textContent = "";
      }
      for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
    }

    async post() {
      const form = this.form;
      const values = Object.fromEntries(FIELDS.map(({ name }) => [name, form.elements[name].value]));
      const payload = { page: Number(this.pageId), ...values, followup: form.elements.followup.checked };
      if (this.parent) payload.parent = this.parent.id;
      this.clearErrors(form);
      this.formError.hidden = true;
      this.notice.hidden = true;
      this.submit.disabled = true;
      const result = await this.call("POST", "/api/comments/", payload);
      this.submit.disabled = false;
      if (result.ok) {
        this.posted(result.data, payload);
        return;
      }
      const errors = result.status === 400 && result.data && result.data.errors;
      const { first, loose } = errors ? this.showErrors(form, errors) : { first: null, loose: [] };
      const message = errors ? loose.join(" ") : describeFailure(result.status, result.data, result.retryAfter);
      if (message) {
        this.formError.textContent = message;
        this.formError.hidden = false;
      }
      this.announce(first ? "Your comment was not posted. Please correct the fields marked as invalid." : message);
      (first || this.submit).focus();
      this.emit("error", { status: result.status, errors: errors || null, message });
    }

    posted(data, payload) {
      const comment = { id: data.id, parent: payload.parent || null, name: payload.name.trim(), body: payload.body.trim(), created: new Date().toISOString() };
      this.store.add(comment);
      this.form.elements.body.value = "";
      const parent = this.parent;
      if (parent) this.cancelReply();
      this.notice.textContent = data.message;
      this.notice.hidden = false;
      this.announce(data.message);
      this.load().then(() => {
        const mine = this.shadowRoot.getElementById(`comment-${data.id}`);
        (mine ? mine.querySelector("article") : this.notice).focus();
      });
      this.emit("posted", { id: data.id, status: data.status, parent: comment.parent });
    }

    toggleReport(node, bar, button) {
      const open = bar.nextElementSibling && bar.nextElementSibling.matches('[part~="report-form"]');
      if (open) {
        bar.nextElementSibling.remove();
        button.setAttribute("aria-expanded", "false");
        button.focus();
        return;
      }
      const id = `cms-report-${node.id}`;
      const reason = el("select", { id: `${id}-reason`, name: "reason", part: "input reason-input", "aria-describedby": `${id}-reason-error` }, ...REASONS.map(([value, label]) => el("option", { value, text: label })));
      const detail = el("textarea", { id: `${id}-detail`, name: "detail", rows: "2", maxLength: 1000, part: "input detail-input", "aria-describedby": `${id}-detail-error` });
      const error = el("p", { part: "form-error", hidden: true, role: "alert" });
      const send = el("button", { type: "submit", part: "button", text: "Send report" });
      const form = el(
        "form",
        { part: "report-form", "aria-label": `Report the comment by ${node.name}` },
        el("div", { part: "field" }, el("label", { for: reason.id, text: "Why should a moderator look at it?" }), reason, el("p", { id: `${id}-reason-error`, part: "field-error", hidden: true })),
        el("div", { part: "field" }, el("label", { for: detail.id, text: "Details (optional)" }), detail, el("p", { id: `${id}-detail-error`, part: "field-error", hidden: true })),
        error,
        el("div", { part: "actions" }, send, el("button", { type: "button", part: "link-button", text: "Cancel", onclick: () => this.toggleReport(node, bar, button) }))
      );
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        this.clearErrors(form);
        error.hidden = true;
        send.disabled = true;
        const result = await this.call("POST", `/api/comments/${node.id}/report/`, { reason: reason.value, detail: detail.value });
        send.disabled = false;
        if (result.ok) {
          form.replaceWith(el("p", { part: "notice", tabindex: "-1", text: result.data.detail }));
          bar.nextElementSibling.focus();
          button.remove();
          this.announce(result.data.detail);
          this.emit("reported", { id: node.id });
          return;
        }
        const errors = result.status === 400 && result.data && result.data.errors;
        const { first, loose } = errors ? this.showErrors(form, errors) : { first: null, loose: [] };
        error.textContent = errors ? loose.join(" ") : describeFailure(result.status, result.data, result.retryAfter);
        error.hidden = !error.textContent;
        (first || send).focus();
        this.emit("error", { status: result.status, errors: errors || null, message: error.textContent });
      });
      bar.after(form);
      button.setAttribute("aria-expanded", "true");
      reason.focus();
    }
  }

  if (!customElements.get("cms-comments")) customElements.define("cms-comments", CmsComments);
})();
