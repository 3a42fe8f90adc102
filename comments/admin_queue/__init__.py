"""The moderators' queue in the Wagtail admin: Wagtail's generic listing (``listing``), its filters and
search (``filters``), row and bulk actions and each comment's history (``actions``), and the counts
beside the "Comments" menu item (``counts``)."""
