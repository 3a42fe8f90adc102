"""An embed finder for YouTube that needs no network.

Its player has no ``title`` of its own: the video block names each player after its video
(``articles.representations.embed_title``).

Wagtail's oEmbed finder asks YouTube for the player HTML; the player URL is a fixed pattern, so we
build it ourselves on the privacy-enhanced domain (no cookies until the reader presses play). This
also keeps demo content and tests working offline. Other providers fall through to oEmbed.
"""

import re

from django.utils.html import format_html
from wagtail.embeds.finders.base import EmbedFinder

YOUTUBE_ID = re.compile(
    r"^https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/)|youtu\.be/)"
    r"(?P<id>[A-Za-z0-9_-]{11})(?:[?&#].*)?$"
)


class OfflineVideoFinder(EmbedFinder):
    width = 560
    height = 315

    def accept(self, url):
        return bool(YOUTUBE_ID.match(url or ""))

    def find_embed(self, url, max_width=None, max_height=None):
        video_id = YOUTUBE_ID.match(url).group("id")
        html = format_html(
            '<iframe width="{}" height="{}" src="https://www.youtube-nocookie.com/embed/{}" '
            'loading="lazy" '
            'allow="accelerometer; encrypted-media; gyroscope; picture-in-picture" '
            "allowfullscreen></iframe>",
            self.width,
            self.height,
            video_id,
        )
        return {
            "title": "",
            "author_name": "",
            "provider_name": "YouTube",
            "type": "video",
            "thumbnail_url": f"https://i.ytimg.com/vi/{video_id}/hqdefault.jpg",
            "width": self.width,
            "height": self.height,
            "html": str(html),
        }
