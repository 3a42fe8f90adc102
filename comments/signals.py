"""Signals other parts of the project listen to (cache invalidation, webhooks).

``comment_moderated`` is sent once the transaction that changed a comment's state has committed:
``sender=ArticleComment, comment=<ArticleComment>, action="approve"|"reject"|"spam"|"remove",
previous=<old status>, status=<new status>``. It is not sent when an action changed nothing.
"""

from django.dispatch import Signal

comment_moderated = Signal()
