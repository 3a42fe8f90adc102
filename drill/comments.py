"""Scenario 2: a comment posted through B, approved over the moderation API on A, is visible through
both nginx caches at once."""

from drill import client
from drill.publish import prime
from drill.report import ms


def post_comment(reader, base, page_id, body, name="Drill reader"):
    payload = {"page": page_id, "name": name, "email": "reader@example.com", "body": body}
    return client.call(reader, "POST", f"{base}/api/comments/", json=payload)


def comment_count(answer):
    """``comments.count`` of an API detail (approved comments only)."""
    if answer.status != 200:
        return None
    return (answer.json().get("comments") or {}).get("count")


def approve(stack, seed, comment_id):
    moderator = client.session()
    headers = {"Authorization": f"Bearer {seed['token']}"}
    url = stack.url("nginx_a", f"/api/moderation/comments/{comment_id}/approve/")
    return client.call(moderator, "POST", url, headers=headers)


def comment_approved(result, stack, seed, state):
    """2. Posted through B, approved on A: visible through both caches at once (each primed first)."""
    article = state.get("article")
    if not result.check(article is not None, "needs scenario 1's article"):
        return
    page_id = article["id"]
    paths = [f"/api/comments/?page={page_id}", article["url"], f"/api/v2/pages/{page_id}/"]
    proxies = ["nginx_a", "nginx_b"]
    prime(result, stack, proxies, paths)
    reader = client.session()
    before = comment_count(client.get(reader, stack.url("nginx_b", paths[2])))
    body = f"Drill {state['run_id']} comment: seen everywhere at once"
    posted = post_comment(reader, stack.url("nginx_b"), page_id, body)
    result.figure("POST /api/comments/ through nginx_b", f"{posted.status} in {ms(posted.seconds)}")
    if not result.check(posted.status == 202, f"the comment was not accepted ({posted.brief()}: {posted.text[:200]})"):
        return
    for proxy in proxies:  # pending: nobody sees it yet, whatever the caches hold
        pending = client.get(reader, stack.url(proxy, paths[0]))
        result.check(body not in pending.text, f"the pending comment showed through {proxy}")
    approved = approve(stack, seed, posted.json()["id"])
    result.figure("approve over the moderation API through nginx_a", f"{approved.status} in {ms(approved.seconds)}")
    if not result.check(approved.status == 200, f"the approval answered {approved.brief()}"):
        return
    for proxy in proxies:
        for path in paths[:2]:
            answer = client.get(reader, stack.url(proxy, path))
            result.figure(
                f"first GET of {path} through {proxy}", f"{answer.brief()}, {ms(answer.at - approved.at)} after"
            )
            result.check(
                answer.shows(body), f"{path} through {proxy} did not show the approved comment ({answer.brief()})"
            )
        detail = client.get(reader, stack.url(proxy, paths[2]))
        count = comment_count(detail)
        result.figure(f"comments.count of the API detail through {proxy}", f"{before} -> {count} ({detail.brief()})")
        result.check(before is not None and count == before + 1, f"the API detail through {proxy} counted {count}")
