import Foundation
import Hummingbird

/// Links to the same list with one thing changed — another format, the next page — keep the
/// page's filters: the request's own query, as the browser sent it (already percent-encoded),
/// without the parameters the link sets anew.
enum ConsoleQuery {
    /// The path and query of `request` without `dropped` (and never `lang`: the cookie keeps the
    /// language), ending with `?` or `&` so the caller appends `name=value`.
    static func base(_ request: Request, dropping dropped: Set<String>) -> String {
        let kept = request.uri.query.map {
            $0.split(separator: "&").filter { pair in
                let name = String(pair.prefix { $0 != "=" })
                return name != "lang" && !dropped.contains(name)
            }.joined(separator: "&")
        } ?? ""
        return request.uri.path + "?" + (kept.isEmpty ? "" : kept + "&")
    }

    /// "Next page" with `name=value` (a cursor or an offset), when there is one.
    static func nextPage(_ request: Request, _ name: String, _ value: String?, _ c: ConsoleRequestState) -> HTML {
        guard let value else { return .empty }
        let allowed = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "<p class=\"more\"><a href=\"\(base(request, dropping: [name, "format"]))\(name)=\(allowed)\" rel=\"next\">\(c.t(.nextPage))</a></p>"
    }
}
