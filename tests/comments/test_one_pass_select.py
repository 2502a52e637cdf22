"""
The queue's menus render in one pass, and render what Django's own select
would: the same options, the chosen one selected, every label escaped.
"""

from comments.forms import OnePassSelect, QueueFilterForm

HOSTILE = '<script>alert("x")</script> & "quotes"'


def test_it_renders_the_options_and_marks_the_chosen_one():
    widget = OnePassSelect(choices=[("", "All articles"), (7, "Harbour"), (9, "Ferry")])

    html = widget.render("article", 9, attrs={"id": "id_article"})

    assert html == (
        '<select name="article" id="id_article">'
        '<option value="">All articles</option>'
        '<option value="7">Harbour</option>'
        '<option value="9" selected>Ferry</option>'
        "</select>"
    )


def test_labels_and_values_are_escaped():
    widget = OnePassSelect(choices=[(HOSTILE, HOSTILE)])

    html = widget.render("section", None)

    assert "<script>" not in html
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;"
        in html
    )


def test_the_queue_form_keeps_the_chosen_article_selected():
    form = QueueFilterForm(
        {"article": "7"}, articles=[(7, "Harbour"), (9, "Ferry")], sections=[]
    )

    html = str(form["article"])

    assert '<option value="7" selected>Harbour</option>' in html
    assert '<option value="9">Ferry</option>' in html
    assert 'id="id_article"' in html
