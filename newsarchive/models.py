from django.db import models


class FragmentVersion(models.Model):
    """
    The token that keys one scope of cached fragments ("articles" for every
    article fragment, "comments:<article id>" for one article's comment list).
    It lives in the database, and is replaced in the same transaction as the
    write it covers, so a cached fragment cannot outlive a change even when
    the cache loses keys, is flushed, or was down during the write.
    """

    scope = models.CharField(max_length=100, primary_key=True)
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.scope}: {self.token}"
