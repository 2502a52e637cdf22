"""
{% editable_comment_ids as editable_ids %}: the comments this browser may
still edit (its own, posted in the last ten minutes), read from the signed
pending cookie once per page, without a query.
"""

from django import template

from comments import cookies

register = template.Library()


@register.simple_tag(takes_context=True)
def editable_comment_ids(context: template.Context) -> set[int]:
    return cookies.editable_comment_ids(context.get("request"))
