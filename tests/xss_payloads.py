"""
Hostile markup for the sanitiser and browser tests, written for this project.

PAYLOADS is a plain list of strings. Every payload, if it ever ran, would set
`window.__xss` or call alert()/confirm()/prompt(), so a browser test can
detect execution through a dialog or the marker.
"""

PAYLOADS: list[str] = [
    # <script> in many casings and shapes
    "<script>window.__xss=1</script>",
    "<SCRIPT>window.__xss=1</SCRIPT>",
    "<ScRiPt>alert('xss')</sCrIpT>",
    "<script src=//127.0.0.1/x.js></script><script>window.__xss=1</script>",
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    "<script\n>window.__xss=1</script\n>",
    "<script/xss>window.__xss=1</script>",
    "<<script>alert(1);//<</script>",
    '<script type="text/javascript">window.__xss=1</script>',
    # event handlers
    "<img src=x onerror=window.__xss=1>",
    "<IMG SRC=x ONERROR=alert(1)>",
    '<img src="x" onerror="window.__xss=1" alt="photo">',
    "<img src=x oNeRrOr=alert`1`>",
    "<body onload=window.__xss=1>",
    "<p onmouseover=alert(1)>hover me</p>",
    '<a href="https://example.com" onclick="window.__xss=1">click</a>',
    "<details open ontoggle=window.__xss=1>x</details>",
    "<input autofocus onfocus=window.__xss=1>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=window.__xss=1>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<div/onmouseover="window.__xss=1">x</div>',
    # javascript:, data:, vbscript: URLs, with casing, entities and whitespace
    '<a href="javascript:window.__xss=1">link</a>',
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href=" javascript:alert(1)">leading space</a>',
    '<a href="java\tscript:alert(1)">tab inside</a>',
    '<a href="java\nscript:alert(1)">newline inside</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">dec</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">hex</a>',
    '<a href="javascript&colon;window.__xss=1">named colon</a>',
    '<a href="jav&#x09;ascript:alert(1)">entity tab</a>',
    '<a href="\x01javascript:alert(1)">control char</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>" alt="svg">',
    '<a href="vbscript:msgbox(1)">vbs</a>',
    '<a href="VBSCRIPT:alert(1)">vbs upper</a>',
    '<img src="javascript:alert(1)" alt="js src">',
    '<blockquote cite="javascript:alert(1)">quoted</blockquote>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">go</button>',
    # bare text a linkifier might turn into links with unsafe schemes
    "see data:www.example.com/alert(1) or mailto:a@example.com?body=alert(1)",
    "javascript://www.example.com/%0aalert(1) and webcal://cal.example.com/alert(1)",
    # SVG and MathML
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1">',
    '<math href="javascript:alert(1)">CLICK</math>',
    # iframes, objects, embeds, meta, base
    '<iframe src="javascript:window.__xss=1"></iframe>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="import" href="data:text/html,<script>alert(1)</script>">',
    # style tricks
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<div style="width:expression(alert(1))">x</div>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<style>body{background:url("javascript:window.__xss=1")}</style>',
    '<p style="behavior:url(x.htc);x:expression(window.__xss=1)">x</p>',
    # broken quotes and attribute breakouts
    '<img src="x" alt="a"onerror="window.__xss=1">',
    "<img src='x' alt='\"' onerror=alert(1)//'>",
    '<a href="https://example.com/" title="x" "onmouseover="alert(1)">q</a>',
    '"><script>window.__xss=1</script>',
    "'><img src=x onerror=alert(1)>",
    '<img """><script>window.__xss=1</script>">',
    # mutation-XSS shapes
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
    "<svg><style><img src=x onerror=window.__xss=1></style></svg>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    '<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=alert(1) src=1>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<template><img src=x onerror="window.__xss=1"></template>',
    '<xmp><p title="</xmp><img src=x onerror=alert(1)>">',
    '<textarea><img title="</textarea><img src=x onerror=window.__xss=1>">',
    "<title><img title='</title><img src=x onerror=alert(1)>'></title>",
    # unclosed tags, comments, null bytes, CDATA
    "<img src=x onerror=window.__xss=1",
    "<script>window.__xss=1",
    "<img src=x one\x00rror=alert(1)>",
    "<scr\x00ipt>window.__xss=1</scr\x00ipt>",
    '<a href="java\x00script:alert(1)">nul</a>',
    "<!--<img src=x onerror=alert(1)>-->",
    "<!-- --!><img src=x onerror=window.__xss=1> -->",
    "<![CDATA[<script>window.__xss=1</script>]]>",
    "<?xml version='1.0'?><script>window.__xss=1</script>",
    # encoded angle brackets must stay text
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "%3Cscript%3Ewindow.__xss=1%3C/script%3E",
]
