import Foundation
import Hummingbird

/// A submitted console form (`application/x-www-form-urlencoded`), read once.
struct ConsoleForm: Sendable {
    /// Forms are a few fields of text; anything larger is not one of ours.
    static let maxBytes = 64 * 1024
    private(set) var fields: [String: String] = [:]

    init(fields: [String: String]) { self.fields = fields }

    init(_ request: Request) async throws {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            throw APIError(.unsupportedMediaType, "send the console's form as application/x-www-form-urlencoded (reload the page and use its form)")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBytes)
        } catch {
            throw APIError(.contentTooLarge, "the form is larger than \(Self.maxBytes) bytes; shorten the text fields")
        }
        self.init(encoded: String(buffer: body))
    }

    init(encoded: String) {
        for pair in encoded.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            // The first value of a name counts: no form of ours repeats one.
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
    }

    subscript(_ name: String) -> String? { fields[name] }

    /// A field with its surrounding whitespace removed; nil when absent or blank.
    func text(_ name: String) -> String? {
        let t = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return t.isEmpty ? nil : t
    }
}
