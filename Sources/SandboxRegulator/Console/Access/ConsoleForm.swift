import Foundation
import Hummingbird

/// A submitted console form (`application/x-www-form-urlencoded`), read once.
struct ConsoleForm: Sendable {
    /// Forms are a few fields of text; anything larger is not one of ours.
    static let maxBytes = 64 * 1024
    private(set) var fields: [String: String] = [:]
    /// Every value of every name in the order sent: the checked rows of a bulk action repeat one.
    private(set) var pairs: [(name: String, value: String)] = []

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
            let name = decode(parts[0]), value = parts.count > 1 ? decode(parts[1]) : ""
            pairs.append((name, value))
            // The first value of a name counts for `text`; only `values` reads a repeated one.
            if fields[name] == nil { fields[name] = value }
        }
    }

    subscript(_ name: String) -> String? { fields[name] }

    /// Every non-blank value sent under `name` (checkboxes), in the order sent.
    func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map { $0.value.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// A field with its surrounding whitespace removed; nil when absent or blank.
    func text(_ name: String) -> String? {
        let t = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return t.isEmpty ? nil : t
    }
}
