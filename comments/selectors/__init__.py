"""Read-side queries on comments: for readers, and for moderators."""
