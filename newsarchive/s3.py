"""
The media storage for MEDIA_STORAGE=s3 (django-storages): each object is
written with the type and caching newsarchive.media gives its name, instead
of django-storages' guess, which prefers the type the uploading browser
claimed. The bucket or CDN adds `X-Content-Type-Options: nosniff` (README).
"""

from storages.backends.s3 import S3Storage

from newsarchive import media


class MediaStorage(S3Storage):
    def get_object_parameters(self, name: str) -> dict:
        return super().get_object_parameters(name) | media.object_parameters(name)
