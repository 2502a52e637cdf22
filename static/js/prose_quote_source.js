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
            source: current?.textContent || "",
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
                const line = source
                  ? type.create(null, tr.doc.type.schema.text(source))
                  : null
                // The position just inside the blockquote's closing token.
                const end = quote.pos + node.nodeSize - 1
                if (node.lastChild?.type === type) {
                  const from = end - node.lastChild.nodeSize
                  if (line) tr.replaceWith(from, end, line)
                  else tr.delete(from, end)
                } else if (line) {
                  tr.insert(end, line)
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
