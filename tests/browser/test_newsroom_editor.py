"""
An editor writes an article in the admin's rich-text editor in Chromium:
a heading, bold text, a link and an uploaded picture with alt text,
scheduled a minute ahead. A reader gets a 404 until its time comes, then,
with no job acting, sees it with the picture's srcset and alt text.
"""

import io
from datetime import timedelta

import time_machine
from django.utils import timezone
from PIL import Image as PILImage
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import make_editor, make_image, role_group

PASSWORD = "demo-editor-pass"


def jpeg(width=1800, height=1000) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 120, 40)).save(out, format="JPEG")
    return out.getvalue()


def log_in(page, live_server) -> None:
    role_group("Editors")
    make_editor(username="editor", password=PASSWORD)
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def select_text(page, body, phrase: str, *, collapse: bool = False) -> None:
    """Select a phrase of the editor's text as a reader's drag would.

    Shift+ArrowLeft per letter lost presses under load, because ProseMirror
    may redraw (and reset the selection) while it settles the typed text.
    """
    expect(body).to_contain_text(phrase)
    body.evaluate(
        """(root, [phrase, collapse]) => {
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.lastIndexOf(phrase);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + phrase.length);
                if (collapse) range.collapse(false);
                getSelection().removeAllRanges();
                getSelection().addRange(range);
                return;
            }
            throw new Error("phrase not in the editor: " + phrase);
        }""",
        [phrase, collapse],
    )
    page.wait_for_function(
        "([p, collapse]) => getSelection().toString() === (collapse ? '' : p)",
        arg=[phrase, collapse],
    )
    # ProseMirror takes the DOM selection on its selectionchange event.
    page.evaluate(
        "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
    )


def write_body(page) -> None:
    body = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
    menu = page.locator(".prose-menubar")
    body.click()
    menu.locator(".prose-menubar__selected").click()
    menu.locator("[data-name=heading2]").click()
    page.keyboard.type("What happened")
    page.keyboard.press("Enter")
    page.keyboard.type("The harbour ")
    menu.locator("button[data-name=bold]").click()
    page.keyboard.type("reopened")
    menu.locator("button[data-name=bold]").click()
    page.keyboard.type(" today, says the port authority")
    select_text(page, body, "the port authority")
    menu.locator("button[data-name=link]").click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.locator("input[name=href]").fill("https://port.example/notice")
    dialog.get_by_role("button", name="Update").click()
    # A quote with its source, through our quote-source extension, in a new
    # paragraph once the link is made (typing over the selection would replace
    # the linked words).
    expect(body.locator("a[href='https://port.example/notice']")).to_have_text(
        "the port authority"
    )
    select_text(page, body, "the port authority", collapse=True)
    page.keyboard.press("Enter")
    menu.locator("button[data-name=blockquote]").click()
    page.keyboard.type("We will be back by spring")
    menu.locator("button[data-name=quoteSource]").click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.locator("input[name=source]").fill("said the harbour master")
    dialog.locator("input[name=cite]").fill("https://port.example/statement")
    dialog.get_by_role("button", name="Update").click()
    expect(body.locator("blockquote footer cite")).to_have_text(
        "said the harbour master"
    )


def insert_uploaded_picture(page) -> None:
    """At the top of the body, a figure with a picture from the uploads."""
    body = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
    body.locator("h2").click()
    page.keyboard.press("Home")
    page.locator(".prose-menubar button[data-name=figure]").click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    with page.expect_popup() as opened:
        dialog.get_by_role("button", name="Browse...").click()
    picker = opened.value
    # Its deferred script listens for the choice only once the page has loaded.
    picker.wait_for_load_state("load")
    choice = picker.locator(".image-picker__choice", has_text="The harbour wall")
    expect(choice).to_be_visible()
    # Choosing closes the picker's window; a plain click() could still be
    # waiting on that window when it goes, so the click comes after the call.
    with picker.expect_event("close"):
        choice.evaluate("button => setTimeout(() => button.click(), 0)")
    expect(dialog.locator("input[name=altText]")).to_have_value(
        "The harbour wall from the air"
    )
    dialog.get_by_role("button", name="Insert").click()
    expect(body.locator("figure img")).to_have_count(1)


def test_a_scheduled_article_from_the_editor_appears_at_its_time(
    live_server, page, playwright_browser, screenshot, settings, transactional_db
):
    settings.SERVE_MEDIA = True
    log_in(page, live_server)
    wall = make_image(alt="The harbour wall from the air", width=1200, height=800)
    page.goto(f"{live_server.url}/admin/articles/article/add/")

    page.locator("#id_title").fill("Harbour reopens after a winter of repairs")
    write_body(page)
    insert_uploaded_picture(page)
    page.locator("#id_new_image").set_input_files(
        files=[{"name": "harbour.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    page.locator("#id_new_image_alt").fill("Cranes over the harbour at dawn")
    page.locator("#id_new_image_credit").fill("Photo: A. Reporter")
    page.locator("#id_status").select_option("scheduled")
    goes_live = timezone.localtime(timezone.now() + timedelta(minutes=1))
    page.locator("#id_published_at_0").fill(f"{goes_live:%Y-%m-%d}")
    page.locator("#id_published_at_1").fill(f"{goes_live:%H:%M:%S}")
    shot = screenshot("newsroom-editor-form")
    assert shot.exists()
    assert page.csp_violations() == []
    assert page.console_csp_violations() == []

    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added")

    article = Article.objects.get()
    assert article.status == Article.Status.SCHEDULED
    assert "<h2>What happened</h2>" in article.body_html
    assert "<strong>reopened</strong>" in article.body_html
    assert '<a href="https://port.example/notice"' in article.body_html
    assert (
        '<blockquote cite="https://port.example/statement">'
        "<p>We will be back by spring</p>"
        "<footer><cite>said the harbour master</cite></footer></blockquote>"
    ) in article.body_html
    url = f"{live_server.url}{article.get_absolute_url()}"

    reader = playwright_browser.new_context().new_page()
    assert reader.goto(url).status == 404

    # Past the time, with nothing run meanwhile: published() lets it through.
    with time_machine.travel(goes_live + timedelta(seconds=5), tick=True):
        response = reader.goto(url)
        assert response.status == 200
        picture = reader.locator(".article__image img")
        expect(picture).to_have_attribute("alt", "Cranes over the harbour at dawn")
        srcset = picture.get_attribute("srcset")
        assert "-480w.jpg 480w" in srcset and "-1800w.jpg 1800w" in srcset
        webp = reader.locator(".article__image source[type='image/webp']")
        assert "-960w.webp 960w" in webp.get_attribute("srcset")
        reader.wait_for_function(
            "document.querySelector('.article__image img').naturalWidth > 0"
        )
        body = reader.locator(".article__body")
        expect(body.locator("h2")).to_have_text("What happened")
        expect(body.locator("strong")).to_have_text("reopened")
        expect(body.locator("a[href='https://port.example/notice']")).to_have_text(
            "the port authority"
        )
        expect(body.locator("blockquote footer cite")).to_have_text(
            "said the harbour master"
        )
        # The picture picked from the uploads, drawn with its renditions.
        inline = body.locator("figure picture img")
        expect(inline).to_have_attribute("alt", "The harbour wall from the air")
        expect(inline).to_have_attribute("src", wall.file.url)
        assert "-480w.jpg 480w" in inline.get_attribute("srcset")
        reader.wait_for_function(
            "document.querySelector('.article__body picture img').naturalWidth > 0"
        )
    reader.context.close()
