import Hummingbird

/// Query parameters read exactly as docs/api/openapi.yaml declares them: an integer that is not
/// one, or a flag that is neither `true` nor `false`, is a 400 naming the parameter — never
/// silently the default.
enum QueryParameters {
    static func integer(_ request: Request, _ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw APIError(.badRequest, "query parameter `\(name)` must be an integer in \(range.lowerBound)…\(range.upperBound), got \(text)")
        }
        return value
    }

    static func flag(_ request: Request, _ name: String, default fallback: Bool) throws -> Bool {
        guard let text = request.uri.queryParameters.get(name) else { return fallback }
        switch text {
        case "true": return true
        case "false": return false
        default: throw APIError(.badRequest, "query parameter `\(name)` must be true or false, got \(text)")
        }
    }

    /// A text parameter; an empty one counts as absent.
    static func text(_ request: Request, _ name: String) -> String? {
        guard let text = request.uri.queryParameters.get(name), !text.isEmpty else { return nil }
        return text
    }
}
