// Blockquote with a source, for the article body editor (django-prose-editor).
//
// The source is a line the reader sees at the foot of the quote, as
// <blockquote cite="https://…"><p>…</p><footer><cite>said TASS</cite></footer>,
// and optionally an address in the blockquote's cite attribute. The module
// exports "Blockquote", which replaces the editor's own blockquote (the
// configurable preset looks extensions up by name), and "QuoteSource", the
// footer line. The server's sanitiser still decides what is kept.
import {
  Blockquote as BaseBlockquote,
  gettext,
  mergeAttributes,
  Node,
  updateAttrsDialog,
} from "django-prose-editor/editor"

const HTTP_URL = /^https?:\/\/\S+$/i

export const QuoteSource = Node.create({
  name: "quoteSource",
  content: "inline*",
  defining: true,
  isolating: true,

  parseHTML() {
    return [
      {
        tag: "blockquote > footer",
        contentElement: (dom) => dom.querySelector("cite") || dom,
      },
    ]
  },

  renderHTML({ HTMLAttributes }) {
    return ["footer", mergeAttributes(HTMLAttributes), ["cite", 0]]
  },
})

const findQuote = (state, name) => {
  const { $from } = state.selection
  for (let depth = $from.depth; depth > 0; depth--) {
    if ($from.node(depth).type.name === name) {
      return { node: $from.node(depth), pos: $from.before(depth) }
    }
  }
  return null
}

// The source line's words: its text nodes, in order (a line break or any
// other inline node counts for nothing, as it does in the dialog's field).
const wordsOf = (line) => {
  let words = ""
  line.forEach((child) => {
    if (child.isText) words += child.text
  })
  return words
}

// The document position of the `offset`-th character of the line's words,
// the line's content starting at `start`.
const positionAt = (line, start, offset) => {
  let pos = start
  let seen = 0
  for (let i = 0; i < line.childCount; i++) {
    const child = line.child(i)
    if (child.isText && seen + child.text.length >= offset) {
      return pos + offset - seen
    }
    if (child.isText) seen += child.text.length
    pos += child.nodeSize
  }
  return pos
}

// Change the words of the source line in place to `words`, replacing only
// the characters that differ: a link on the source (or bold, or italics)
// stays on the words it covered, and words typed inside it, or over it,
// take its marks, as typing there would. Only the link's own button removes
// it.
const rewordLine = (tr, line, start, words) => {
  const old = wordsOf(line)
  if (old === words) return
  let head = 0
  const most = Math.min(old.length, words.length)
  while (head < most && old[head] === words[head]) head++
  let tail = 0
  while (
    tail < most - head &&
    old[old.length - 1 - tail] === words[words.length - 1 - tail]
  ) {
    tail++
  }
  const from = positionAt(line, start, head)
  const to = positionAt(line, start, old.length - tail)
  const typed = words.slice(head, words.length - tail)
  if (!typed) {
    tr.delete(from, to)
    return
  }
  // Over replaced words, the marks of the first of them; between words,
  // those the cursor would have there.
  const marks =
    from < to ? tr.doc.nodeAt(from).marks : tr.doc.resolve(from).marks()
  tr.replaceWith(from, to, tr.doc.type.schema.text(typed, marks))
}

export const Blockquote = BaseBlockquote.extend({
  content: "block+ quoteSource?",

  addAttributes() {
    return {
      ...this.parent?.(),
      cite: {
        default: null,
        parseHTML: (dom) => {
          const cite = dom.getAttribute("cite")
          return cite && HTTP_URL.test(cite) ? cite : null
        },
        renderHTML: (attrs) => (attrs.cite ? { cite: attrs.cite } : {}),
      },
    }
  },

  addCommands() {
    return {
      ...this.parent?.(),
      editQuoteSource:
        () =>
        ({ editor, state, dispatch }) => {
          const quote = findQuote(state, this.name)
          if (!quote) return false
          if (!dispatch) return true
          const last = quote.node.lastChild
          const current = last?.type.name === "quoteSource" ? last : null
          updateAttrsDialog(
            {
              source: {
                type: "string",
                title: gettext("Source, as readers see it"),
                description: gettext('For example "said TASS"'),
              },
              cite: {
                type: "string",
                format: "url",
                title: gettext("Source address (optional)"),
              },
            },
            { title: gettext("Quote source") },
          )(editor, {
            source: current ? wordsOf(current) : "",
            cite: quote.node.attrs.cite || "",
          }).then((attrs) => {
            if (!attrs) return
            const source = attrs.source.trim()
            const cite = attrs.cite.trim()
            editor
              .chain()
              .focus()
              .command(({ tr }) => {
                const node = tr.doc.nodeAt(quote.pos)
                if (node?.type.name !== this.name) return false
                tr.setNodeMarkup(quote.pos, undefined, {
                  ...node.attrs,
                  cite: HTTP_URL.test(cite) ? cite : null,
                })
                const type = tr.doc.type.schema.nodes.quoteSource
                // The position just inside the blockquote's closing token.
                const end = quote.pos + node.nodeSize - 1
                if (node.lastChild?.type === type) {
                  const from = end - node.lastChild.nodeSize
                  if (source) rewordLine(tr, node.lastChild, from + 1, source)
                  else tr.delete(from, end)
                } else if (source) {
                  tr.insert(end, type.create(null, tr.doc.type.schema.text(source)))
                }
                return true
              })
              .run()
          })
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "quoteSource",
      groups: "nodes",
      command(editor) {
        editor.commands.editQuoteSource()
      },
      button: buttons.material("record_voice_over", gettext("quote source")),
      hidden(editor) {
        return !editor.isActive("blockquote")
      },
    })
  },
})
