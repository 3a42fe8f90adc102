"""Scenarios 1 and 3: an editor publishes through A and readers see it through B at once; an article
scheduled ahead goes live by itself and both caches are purged."""

import datetime
import time

from drill import client
from drill.client import Editor, form_errors
from drill.report import ms

LISTINGS = ("/articles/", "/api/v2/pages/")


def article_form(seed, *, title, slug, image_id="", go_live_at=None):
    """The page add form as the admin posts it, with "Publish" pressed (tests/articles/test_admin.py)."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    data = {
        "title": title,
        "slug": slug,
        "intro": f"{title}: written by the drill.",
        "date": datetime.date.today().isoformat(),
        "author": seed["author"],
        "hero_image": image_id,
        "body": streamfield(
            [
                ("heading", {"text": "What the drill checks", "level": "h2"}),
                ("paragraph", rich_text(f"<p>{title} is seen through every cache at once.</p>")),
            ]
        ),
        "tags": "drill",
        "related_post_picks": inline_formset([]),
        "testimonial_picks": inline_formset([]),
        "allow_comments": "on",
    }
    if go_live_at is not None:
        data["go_live_at"] = go_live_at.strftime("%Y-%m-%d %H:%M:%S")
    form = nested_form_data(data)
    form["action-publish"] = "action-publish"
    return form


def lists(answer, page_id):
    """Does this API listing (``{"items": [...]}``) name the page?"""
    if answer.status != 200:
        return False
    return any(item.get("id") == page_id for item in answer.json().get("items", []))


def prime(result, stack, proxies, paths):
    """GET each path twice through each proxy: the second answer must come from nginx's cache (HIT),
    so that a copy the purge missed would be what the reader gets next."""
    reader = client.session()
    for proxy in proxies:
        for path in paths:
            client.get(reader, stack.url(proxy, path))
            again = client.get(reader, stack.url(proxy, path))
            result.figure(f"primed {proxy} {path}", again.brief())
            result.check(again.proxy_cache == "HIT", f"{proxy} {path} was not cached by nginx ({again.brief()})")


def publish_with_image(result, stack, seed, state):
    """The editor's half of scenario 1 (through A's nginx): log in, upload, publish. The article."""
    from wagtail.images import get_image_model

    from articles.models import ArticlePage

    editor = Editor(stack.url("nginx_a"), **seed["editor"])
    login = editor.login()
    result.figure("editor login through nginx_a", f"{login.status} in {ms(login.seconds)}")
    title = f"Drill {state['run_id']} picture"
    upload = editor.upload_image(title, client.jpeg(title))
    result.figure("image add form", f"{upload.status} in {ms(upload.seconds)}")
    if not result.check(upload.status == 302, f"the image form answered {upload.status}: {form_errors(upload)}"):
        return None
    image = get_image_model().objects.get(title=title)
    slug = f"drill-{state['run_id']}-published"
    form = article_form(seed, title=f"Drill {state['run_id']} published", slug=slug, image_id=image.pk)
    published = editor.add_article(seed["index"]["id"], form)
    result.figure("page add form, action-publish", f"{published.status} in {ms(published.seconds)}")
    if not result.check(published.status == 302, f"publishing answered {published.status}: {form_errors(published)}"):
        return None
    state["editor"] = editor
    return ArticlePage.objects.get(slug=slug), published.at


def editor_publishes(result, stack, seed, state):
    """1. An editor uploads an image and publishes an article through A; a reader through B sees both at once."""
    prime(result, stack, ["nginx_b"], LISTINGS)
    done = publish_with_image(result, stack, seed, state)
    if done is None:
        return
    article, published_at = done
    state["article"] = {"id": article.pk, "url": article.url, "title": article.title}
    reader = client.session()
    checks = [
        (f"/api/v2/pages/{article.pk}/", lambda a: a.shows(article.title)),
        (article.url, lambda a: a.shows(article.title)),
        ("/articles/", lambda a: a.shows(article.title)),
        ("/api/v2/pages/", lambda a: lists(a, article.pk)),
    ]
    for path, shows in checks:
        answer = client.get(reader, stack.url("nginx_b", path))
        after = answer.at - published_at
        result.figure(f"first GET of {path} through nginx_b", f"{answer.brief()}, {ms(after)} after the publish")
        result.check(shows(answer), f"{path} through nginx_b did not show the article ({answer.brief()})")
    detail = client.get(reader, stack.url("nginx_b", f"/api/v2/pages/{article.pk}/"))
    hero = (detail.json().get("hero_image") or {}) if detail.status == 200 else {}
    check_image(result, stack, reader, hero.get("url", ""))


def check_image(result, stack, reader, url):
    """The hero image's rendition: its URL is on the S3 server, and its bytes are a JPEG."""
    result.check(url.startswith(stack.url("s3")), f"the hero image is not on the S3 server: {url!r}")
    if not url:
        return
    image = client.get(reader, url)
    kind = image.header("Content-Type")
    result.figure("hero image from S3", f"{image.status}, {kind}, {len(image.body)} bytes in {ms(image.seconds)}")
    result.check(
        image.status == 200 and image.body[:2] == b"\xff\xd8", f"the image did not come back ({image.brief()})"
    )


def watch_listing(stack, proxies, title, deadline):
    """Poll the index listing through each proxy until it shows ``title``: {proxy: (first answer that
    showed it, the last answer that did not)}."""
    reader, seen, last_stale = client.session(), {}, {}
    while len(seen) < len(proxies) and time.time() < deadline:
        for proxy in proxies:
            if proxy in seen:
                continue
            answer = client.get(reader, stack.url(proxy, "/articles/"))
            if answer.shows(title):
                seen[proxy] = answer
            else:
                last_stale[proxy] = answer
        time.sleep(0.2)  # the polling period of a reader, not a synchronisation
    return {proxy: (seen.get(proxy), last_stale.get(proxy)) for proxy in proxies}


def schedule_article(result, stack, seed, state, lead):
    """The editor schedules an article ``lead`` seconds ahead through A: (article, go-live time)."""
    from articles.models import ArticlePage

    editor = state.get("editor")
    if editor is None:
        editor = state["editor"] = Editor(stack.url("nginx_a"), **seed["editor"])
        editor.login()
    go_live = datetime.datetime.now(datetime.UTC).replace(microsecond=0) + datetime.timedelta(seconds=lead)
    slug = f"drill-{state['run_id']}-scheduled"
    form = article_form(seed, title=f"Drill {state['run_id']} scheduled", slug=slug, go_live_at=go_live)
    answer = editor.add_article(seed["index"]["id"], form)
    result.figure(
        "page add form with go_live_at, action-publish", f"{answer.status}, go live at {go_live:%H:%M:%S} UTC"
    )
    if not result.check(answer.status == 302, f"scheduling answered {answer.status}: {form_errors(answer)}"):
        return None, go_live
    article = ArticlePage.objects.get(slug=slug)
    result.check(not article.live, "the scheduled article was live before its time")
    return article, go_live


def scheduled_publish(result, stack, seed, state, cfg):
    """3. An article scheduled ahead goes live by itself (the scheduler) and is purged from both caches."""
    article, go_live = schedule_article(result, stack, seed, state, cfg.schedule_lead)
    if article is None:
        return
    early = client.get(client.session(), stack.url("nginx_b", f"/api/v2/pages/{article.pk}/"))
    result.figure("its API detail before go-live, through nginx_b", early.brief())
    result.check(early.status == 404, f"the scheduled article was readable before its time ({early.brief()})")
    proxies = ["nginx_a", "nginx_b"]
    prime(result, stack, proxies, LISTINGS)
    deadline = go_live.timestamp() + 3 * cfg.scheduler_seconds + 30
    seen = watch_listing(stack, proxies, article.title, deadline)
    article.refresh_from_db()
    if not result.check(article.live and article.last_published_at, "the article did not go live by itself"):
        return
    live_at = article.last_published_at.timestamp()
    late = live_at - go_live.timestamp()
    result.figure("went live", f"{late:.1f} s after its go-live time (scheduler every {cfg.scheduler_seconds} s)")
    result.check(-1 <= late <= cfg.scheduler_seconds + 5, f"it went live {late:.1f} s after its time")
    for proxy in proxies:
        first, stale = seen[proxy]
        if not result.check(first is not None, f"/articles/ through {proxy} never showed it (a stale copy stayed)"):
            continue
        shown = first.at - live_at
        result.figure(f"/articles/ through {proxy} showed it", f"{shown:.2f} s after it went live, {first.brief()}")
        if stale is not None:
            result.figure(f"  last answer without it through {proxy}", f"{stale.at - live_at:+.2f} s, {stale.brief()}")
        result.check(shown <= 5, f"{proxy} kept its stale listing {shown:.1f} s after the publish (not purged)")
        listing = client.get(client.session(), stack.url(proxy, "/api/v2/pages/"))
        result.figure(f"/api/v2/pages/ through {proxy}", listing.brief())
        result.check(lists(listing, article.pk), f"the API listing through {proxy} did not list it")
