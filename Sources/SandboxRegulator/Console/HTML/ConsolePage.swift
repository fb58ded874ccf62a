import Hummingbird

/// A whole console page: the frame every page shares (title, the signed-in member, the
/// language switch, the logout form with its token), around the page's own body. Styles and
/// script are the console's static files, never inline, so the CSP can forbid inline code.
enum ConsolePage {
    static func render(title: String, _ body: HTML, context: RegulatorRequestContext,
                       status: HTTPResponse.Status = .ok, path: String = "/console/search") -> Response {
        let c = context.console
        let other: ConsoleLanguage = c.language == .zh ? .en : .zh
        var user = HTML.empty
        if let identity = context.identity, let token = c.csrfToken {
            user = """
                <span class="who">\(c.t(.signedInAs)): \(identity.staffMember?.label ?? identity.actor)</span>
                <form method="post" action="/console/logout" class="inline">
                <input type="hidden" name="\(ConsoleCSRF.field)" value="\(token)">
                <button type="submit">\(c.t(.logout))</button>
                </form>
                """
        }
        let nav = ConsoleNavigation.html(for: context.identity?.role, c)
        let page: HTML = """
            <!DOCTYPE html>
            <html lang="\(c.language.tag)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · \(c.t(.appName))</title>
            <link rel="stylesheet" href="/console/static/console.css">
            <script src="/console/static/console.js" defer></script>
            </head>
            <body>
            <header>
            <span class="app">\(c.t(.appName))</span>
            \(nav)
            <span class="tools">
            <a href="\(path)?lang=\(other.rawValue)" hreflang="\(other.tag)" lang="\(other.tag)">\(other == .zh ? "中文" : "English")</a>
            \(user)
            </span>
            </header>
            <main id="main">
            \(body)
            </main>
            </body>
            </html>
            """
        return html(page, status: status)
    }

    static func html(_ page: HTML, status: HTTPResponse.Status = .ok) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(page.text)
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: buffer))
    }

    /// 303 See Other: after a form, the browser fetches the next page with GET.
    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
