// An article page built from the CMS's API alone: the list of articles at /, one article at /?id=N,
// a draft at /preview/?content_type=…&token=… (the admin's "Headless frontend" preview), and the
// comment widget served by the CMS. API text reaches the page as text nodes; the CMS's sanitized
// rich text is parsed in an inert document and rebuilt from an allowlist, never assigned to innerHTML.

const params = new URLSearchParams(location.search);
const PREVIEW = location.pathname.startsWith("/preview");
// The CMS: ?api=…, else (for a preview, which the CMS's admin opens in a frame) the page that framed
// this one, else the <meta name="cms-api"> of the HTML.
const API = (
  params.get("api") ||
  (PREVIEW && document.referrer ? new URL(document.referrer).origin : null) ||
  document.querySelector('meta[name="cms-api"]').content
).replace(/\/+$/, "");
const main = document.getElementById("main");

const RICH_TAGS = new Set([
  "p", "br", "a", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "img",
]);
const VIDEO_HOSTS = new Set(["www.youtube-nocookie.com", "www.youtube.com", "player.vimeo.com"]);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function safeUrl(href, { base = API, schemes = ["http:", "https:", "mailto:"] } = {}) {
  try {
    const url = new URL(href, base);
    return schemes.includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** A link to another article of this site, keeping ?api= when it was given. */
function articleHref(id) {
  const query = new URLSearchParams({ id: String(id) });
  if (params.get("api")) query.set("api", params.get("api"));
  return `/?${query}`;
}

function richText(html, className) {
  const parsed = new DOMParser().parseFromString(html || "", "text/html");
  const copy = (source, target) => {
    for (const child of source.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) target.append(child.data);
      if (child.nodeType !== Node.ELEMENT_NODE) continue;
      if (!RICH_TAGS.has(child.localName)) {
        copy(child, target);
        continue;
      }
      const node = document.createElement(child.localName);
      if (child.localName === "a") {
        const href = safeUrl(child.getAttribute("href") || "");
        if (href) node.href = href;
      } else if (child.localName === "img") {
        const src = safeUrl(child.getAttribute("src") || "", { schemes: ["http:", "https:"] });
        if (!src) continue;
        node.src = src;
        node.alt = child.getAttribute("alt") || "";
      }
      target.append(copy(child, node));
    }
    return target;
  };
  return copy(parsed.body, el("div", { class: className }));
}

function image(object, { loading = "lazy" } = {}) {
  if (!object) return null;
  const src = safeUrl(object.url, { schemes: ["http:", "https:"] });
  return src && el("img", { src, alt: object.alt || "", width: object.width, height: object.height, loading });
}

function embed(value) {
  // The player's address from the provider's HTML, if it is a video host the site allows (its CSP's
  // frame-src); otherwise a plain link.
  const frame = new DOMParser().parseFromString(value.html || "", "text/html").querySelector("iframe[src]");
  const src = frame && safeUrl(frame.getAttribute("src"), { schemes: ["https:"] });
  const title = value.title || value.provider || "Embedded media";
  const player =
    src && VIDEO_HOSTS.has(new URL(src).host)
      ? el("iframe", { src, title, loading: "lazy", allowfullscreen: "", allow: "encrypted-media; picture-in-picture" })
      : el("a", { href: safeUrl(value.url), text: title });
  return el("figure", { class: "embed" }, player, value.title ? el("figcaption", { text: value.title }) : null);
}

const BLOCKS = {
  heading: (v) => el(`h${Math.min(Math.max(Number(v.level) || 2, 2), 6)}`, { text: v.text }),
  paragraph: (v) => richText(v, "paragraph"),
  image: (v) => el("figure", { class: "image" }, image(v.image), v.caption ? el("figcaption", { text: v.caption }) : null),
  embed,
  quote: (v) =>
    el("figure", { class: "quote" }, el("blockquote", {}, el("p", { text: v.text })), v.attribution ? el("figcaption", { text: `— ${v.attribution}` }) : null),
  links: (v) =>
    el(
      "nav",
      { class: "links", "aria-label": v.title || "Links" },
      v.title ? el("h3", { text: v.title }) : null,
      el("ul", {}, ...(v.items || []).map((item) => el("li", {}, el("a", { href: safeUrl(item.url), text: item.title }))))
    ),
  promo: (v) =>
    el("aside", { class: "promo" }, el("h3", { text: v.title }), richText(v.body), v.link ? el("a", { href: safeUrl(v.link), text: "Find out more" }) : null),
  disclaimer: (v) => el("aside", { class: "disclaimer" }, richText(v.body)),
};

function block({ type, value }) {
  const render = BLOCKS[type];
  return render ? el("section", { class: `block block-${type}` }, render(value)) : null;
}

function card(post) {
  return el(
    "li",
    {},
    image(post.thumbnail || post.hero_image),
    el("h3", {}, el("a", { href: articleHref(post.id), text: post.title })),
    post.intro ? el("p", { text: post.intro }) : null
  );
}

async function getJSON(path) {
  const response = await fetch(`${API}${path}`, { credentials: "omit", headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(response.status === 404 ? "This article does not exist or is not published." : `The CMS answered ${response.status}.`);
  return response.json();
}

function loadWidget() {
  // The CMS serves the widget; `api` defaults to the origin this script comes from.
  if (document.querySelector("script[data-cms-widget]")) return;
  document.head.append(el("script", { src: `${API}/static/comments/widget.js`, defer: "", "data-cms-widget": "" }));
}

function renderArticle(page, { preview = false } = {}) {
  document.title = page.title;
  const article = el(
    "article",
    {},
    preview ? el("p", { class: "preview-banner", text: "Preview of a draft: not public yet." }) : null,
    el("h1", { text: page.title }),
    el("p", { class: "meta" }, page.author ? `${page.author.name} · ` : "", el("time", { datetime: page.date, text: page.date })),
    page.intro ? el("p", { class: "intro", text: page.intro }) : null,
    page.hero_image ? el("figure", { class: "hero" }, image(page.hero_image, { loading: "eager" })) : null,
    ...(page.body || []).map(block),
    page.tags && page.tags.length ? el("p", { class: "meta", text: `Tags: ${page.tags.join(", ")}` }) : null
  );
  const related = page.related_posts && page.related_posts.length
    ? el("section", { class: "related", "aria-labelledby": "related-title" }, el("h2", { id: "related-title", text: "Related posts" }), el("ul", { class: "cards" }, ...page.related_posts.map(card)))
    : null;
  const siblings = [["previous_post", "Previous"], ["next_post", "Next"]]
    .filter(([key]) => page[key])
    .map(([key, label]) => el("li", {}, `${label}: `, el("a", { href: articleHref(page[key].id), text: page[key].title })));
  const nav = siblings.length ? el("nav", { "aria-label": "More articles" }, el("ul", {}, ...siblings)) : null;
  main.replaceChildren(article, related, nav);
  if (!preview && page.comments && page.comments.enabled) {
    main.append(el("cms-comments", { page: String(page.id) })); // api: the widget script's origin
    loadWidget();
  }
}

async function renderIndex() {
  const data = await getJSON("/api/v2/pages/?type=articles.ArticlePage&fields=intro,hero_image&order=-date&limit=20");
  document.title = "Articles";
  main.replaceChildren(el("h1", { text: "Articles" }), el("ul", { class: "cards" }, ...data.items.map(card)));
}

async function route() {
  try {
    if (PREVIEW) {
      const query = new URLSearchParams({ content_type: params.get("content_type") || "", token: params.get("token") || "" });
      renderArticle(await getJSON(`/api/v2/page_preview/?${query}`), { preview: true });
    } else if (params.get("id")) {
      renderArticle(await getJSON(`/api/v2/pages/${encodeURIComponent(params.get("id"))}/`));
    } else {
      await renderIndex();
    }
  } catch (error) {
    const reason = error instanceof TypeError ? `Nothing answers at ${API}: is the CMS running (make run)?` : error.message;
    main.replaceChildren(el("p", { class: "error", role: "alert", text: reason }));
  }
}

route();
